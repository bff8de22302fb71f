package dev.runners.server.json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.runners.api.Problem;
import dev.runners.server.metrics.RateLimitMetrics;
import dev.runners.server.problems.ProblemMapper;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Request bodies as the reader takes or refuses them, and the problem a refusal becomes; no server. */
class JsonBodyReaderTest {
    private static final MediaType JSON = MediaType.APPLICATION_JSON_TYPE;

    @Test
    void oneJsonObjectIsRead() {
        JsonObject body = read(JSON, new MultivaluedHashMap<>(), bytes("{\"name\": \"dev-runner-01\", \"labels\": [\"gpu\"]}"));
        assertEquals("dev-runner-01", body.getString("name"));
        assertEquals("gpu", body.getJsonArray("labels").getString(0));
    }

    @Test
    void aLeadingByteOrderMarkIsIgnored() {
        byte[] text = bytes("{\"a\":1}");
        byte[] withMark = new byte[text.length + 3];
        withMark[0] = (byte) 0xEF;
        withMark[1] = (byte) 0xBB;
        withMark[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withMark, 3, text.length);
        assertEquals(1, read(JSON, new MultivaluedHashMap<>(), withMark).getInt("a"));
    }

    @Test
    void anEmptyBodyIsMalformed() {
        assertMalformed("  \n", "the request body is empty; send a JSON object");
    }

    @Test
    void aBodyThatIsNotAnObjectIsMalformed() {
        assertMalformed("[1, 2]", "the request body must be a JSON object");
    }

    @Test
    void aSyntaxErrorIsPlacedByLineAndColumn() {
        assertMalformed("{\n  \"a\": }", "the request body is not well-formed JSON (line 2, column 8)");
    }

    @Test
    void aBodyEndingEarlySaysSo() {
        assertMalformed("{\"a\": 1", "the request body ends before its JSON is complete (line 1, column 8)");
    }

    @Test
    void aKeyTwiceInOneObjectIsMalformedEvenWhenNested() {
        assertMalformed("{\"a\": {\"b\": 1, \"b\": 2}}", "the request body has the same key twice in one object (line 1, column 19)");
        assertEquals(2, read(JSON, new MultivaluedHashMap<>(), bytes("{\"b\": {\"b\": 1}, \"c\": {\"b\": 2}}")).size(),
                "the same key in different objects is fine");
    }

    @Test
    void nestedValuesAreReadWhole() {
        JsonObject body = read(JSON, new MultivaluedHashMap<>(),
                bytes("{\"a\": [1, {\"b\": [true, null, \"x\"]}, [], {}], \"c\": {\"d\": {\"e\": 2.5}}, \"f\": false}"));
        assertEquals("{\"a\":[1,{\"b\":[true,null,\"x\"]},[],{}],\"c\":{\"d\":{\"e\":2.5}},\"f\":false}",
                body.toString());
    }

    @Test
    void nestingDeeperThanAnyBodyNeedsIsMalformedNotAFailure() {
        String deep = "{\"a\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        Problem problem = refusal(JSON, new MultivaluedHashMap<>(), bytes(deep), 400);
        assertEquals("MALFORMED_JSON", problem.code());
    }

    @Test
    void anythingAfterTheObjectIsMalformed() {
        assertMalformed("{} {}", "the request body must hold one JSON object and nothing after it");
        assertMalformed("{\"a\": 1} x", "the request body must hold one JSON object and nothing after it");
    }

    @Test
    void bytesThatAreNotUtf8AreMalformed() {
        Problem problem = refusal(JSON, new MultivaluedHashMap<>(), new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}, 400);
        assertEquals("the request body is not valid UTF-8", problem.detail());
    }

    @Test
    void aBodyOverOneMebibyteIsTooLargeWhetherDeclaredOrNot() {
        MultivaluedMap<String, String> declared = new MultivaluedHashMap<>();
        declared.putSingle("Content-Length", String.valueOf(JsonBodyReader.MAX_BODY_BYTES + 1));
        assertEquals("PAYLOAD_TOO_LARGE", refusal(JSON, declared, bytes("{}"), 413).code());

        byte[] large = new byte[(int) JsonBodyReader.MAX_BODY_BYTES + 1];
        Arrays.fill(large, (byte) ' ');
        large[0] = '{';
        large[large.length - 1] = '}';
        assertEquals("PAYLOAD_TOO_LARGE", refusal(JSON, new MultivaluedHashMap<>(), large, 413).code());
    }

    @Test
    void anotherCharsetOrMediaTypeIsUnsupported() {
        Problem latin = refusal(MediaType.valueOf("application/json; charset=ISO-8859-1"), new MultivaluedHashMap<>(), bytes("{}"), 415);
        assertEquals("the request body must be UTF-8 JSON", latin.detail());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", refusal(MediaType.TEXT_PLAIN_TYPE, new MultivaluedHashMap<>(), bytes("{}"), 415).code());
        assertEquals(1, read(MediaType.valueOf("application/json; charset=UTF-8"), new MultivaluedHashMap<>(), bytes("{\"a\":1}")).size());
    }

    @Test
    void aMergePatchBodyIsRefusedOutsideAPatch() {
        assertEquals("UNSUPPORTED_MEDIA_TYPE",
                refusal(MediaType.valueOf("application/merge-patch+json"), new MultivaluedHashMap<>(), bytes("{}"), 415).code());
    }

    private static void assertMalformed(String body, String detail) {
        Problem problem = refusal(JSON, new MultivaluedHashMap<>(), bytes(body), 400);
        assertEquals("MALFORMED_JSON", problem.code());
        assertEquals(detail, problem.detail());
    }

    /** What the client is answered when the reader refuses the body. */
    private static Problem refusal(MediaType type, MultivaluedMap<String, String> headers, byte[] body, int status) {
        try {
            JsonObject read = read(type, headers, body);
            fail("read " + read);
            return null;
        } catch (RuntimeException refused) {
            Response response = new ProblemMapper(new RateLimitMetrics()).toResponse(refused);
            assertEquals(status, response.getStatus());
            return (Problem) response.getEntity();
        }
    }

    private static JsonObject read(MediaType type, MultivaluedMap<String, String> headers, byte[] body) {
        try {
            return new JsonBodyReader().readFrom(JsonObject.class, JsonObject.class, new java.lang.annotation.Annotation[0],
                    type, headers, new ByteArrayInputStream(body));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
