package dev.runners.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.OnEmbeddedDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Odd input found by probing from outside: each is a clear problem+json and changes nothing.
 * Requests that java.net.http refuses to send go over a plain socket.
 * Runs once, on the embedded database: every refusal here is made by the HTTP edge (framing,
 * headers, query, body parsing, field rules) before any statement runs; the read-back that shows
 * nothing changed is a plain read, which the database suites hold on both databases.
 */
@OnEmbeddedDatabase
class HostileInputH2IT extends ApiContract {

    @Test
    void theServersOwnRefusalsAreProblemsAndNeverEchoTheRequest() throws IOException {
        Org org = organization();
        String secret = org.read();
        for (String request : List.of(
                "GET " + RUNNERS + "?x\r=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret + "\r\n\r\n",
                "GET " + RUNNERS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + secret + "\rX\r\n\r\n",
                "GET " + RUNNERS + "?label=" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + secret + "\r\n\r\n")) {
            String answer = send(request);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertFalse(answer.contains(secret), "the answer must not echo the key: " + answer);
            assertEquals("INVALID_PARAMETER", problem(answer).getString("code"));
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("\r\nx-content-type-options: nosniff\r\n"), answer);
        }
    }

    @Test
    void aRequestWithoutHostIsAProblem() throws IOException {
        Org org = organization();
        String answer = send("GET " + RUNNERS + " HTTP/1.1\r\nAuthorization: Bearer " + org.read() + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertEquals("Host", problem(answer).getJsonArray("errors").getJsonObject(0).getString("parameter"));
        String headers = answer.toLowerCase(Locale.ROOT);
        assertTrue(headers.contains("\r\nx-content-type-options: nosniff\r\n")
                && headers.contains("\r\ncache-control: private, no-cache\r\n"), answer);
    }

    @Test
    void aMalformedHostIsAProblemNotAFailure() throws IOException {
        for (String host : List.of("a b", "[zz]", "a|b")) {
            String answer = send("GET /nope HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400"), host + " -> " + answer);
            assertEquals("Host", problem(answer).getJsonArray("errors").getJsonObject(0).getString("parameter"));
        }
    }

    @Test
    void bodiesKeepTheContractsLimitsAndFormats() {
        Org org = organization();
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            labels.append("\"l").append(i).append("\",");
        }
        labels.append("\"l0\"");
        Http.Reply tooMany = http.post(RUNNERS, "{\"name\":\"many\",\"version\":\"1\",\"os\":\"linux\","
                + "\"arch\":\"amd64\",\"labels\":[" + labels + "]}", Fixtures.bearer(org.write()));
        assertEquals(400, tooMany.status(), tooMany::toString);
        assertEquals(List.of("labels"), tooMany.errorNames());

        String slug = org.slug();
        for (String body : List.of("{\"name\":\"k\",\"scopes\":[\"runners:read\"],\"expires_at\":\"2099-01-01T00:00Z\"}",
                "{\"name\":\"   \",\"scopes\":[\"runners:read\"]}")) {
            Http.Reply reply = http.post("/api/v1/admin/organizations/" + slug + "/api-keys", body,
                    "Authorization", Fixtures.ADMIN);
            assertEquals(400, reply.status(), reply::toString);
            assertEquals("INVALID_FIELD", reply.code());
        }
        assertEquals(0, read(RUNNERS, org.read()).getInt("total"));
    }

    @Test
    void unencodedCharactersInTheQueryNameTheParameter() throws IOException {
        Org org = organization();
        for (String query : List.of("limit={1}", "limit=1|2", "limit=%ZZ", "limit=1\u0001", "limit=1<", "limit=\"1\"")) {
            String answer = send("GET " + RUNNERS + "?" + query + " HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + org.read() + "\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400"), query + " -> " + answer);
            JsonObject problem = problem(answer);
            assertEquals("INVALID_PARAMETER", problem.getString("code"));
            assertEquals("limit", problem.getJsonArray("errors").getJsonObject(0).getString("parameter"));
        }
    }

    @Test
    void aBrokenChunkedBodyIsMalformedAndChangesNothing() throws IOException {
        Org org = organization();
        String answer = send("POST " + RUNNERS + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + org.write()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertEquals(0, read(RUNNERS, org.read()).getInt("total"));
    }

    @Test
    void matrixParametersAreNotSilentlyDropped() {
        Org org = organization();
        long id = fx.runner(org.write(), "matrix", List.of(), 2);
        Http.Reply delete = http.delete(RUNNERS + "/" + id + ";anything", Fixtures.bearer(org.write()));
        assertEquals(400, delete.status(), delete::toString);
        assertEquals(List.of("id"), delete.errorNames());
        Http.Reply pod = http.put(RUNNERS + "/" + id + "/pods/a;b",
                "{\"status\":\"running\",\"agent_type_id\":\"claude-code\"}", Fixtures.bearer(org.write()));
        assertEquals(400, pod.status(), pod::toString);
        assertEquals(List.of("key"), pod.errorNames());
        JsonObject runner = read(RUNNERS + "/" + id, org.read()).getJsonObject("runner");
        assertEquals(0, runner.getInt("pod_count"), "nothing was written");
    }

    @Test
    void aParameterWithoutANameIsUnknown() {
        Org org = organization();
        Http.Reply reply = http.post(RUNNERS + "?=1",
                "{\"name\":\"nameless\",\"version\":\"1\",\"os\":\"linux\",\"arch\":\"amd64\"}",
                Fixtures.bearer(org.write()));
        assertEquals(400, reply.status(), reply::toString);
        assertEquals("UNKNOWN_PARAMETER", reply.code());
        assertEquals(0, read(RUNNERS, org.read()).getInt("total"));
    }

    @Test
    void bodiesAreStrictUtf8AndNotTooDeep() {
        Org org = organization();
        Http.Reply deep = http.post(RUNNERS, "{\"labels\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
                Fixtures.bearer(org.write()));
        assertEquals(400, deep.status(), deep::toString);
        assertEquals("MALFORMED_JSON", deep.code());

        Http.Reply latin1 = http.call("POST", RUNNERS)
                .body("application/json; charset=ISO-8859-1", java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"latin\",\"version\":\"1\",\"os\":\"linux\",\"arch\":\"amd64\"}"))
                .headers(Fixtures.bearer(org.write())).send();
        assertEquals(415, latin1.status(), latin1::toString);

        Http.Reply utf16 = http.call("POST", RUNNERS)
                .body("application/json", java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"wide\",\"version\":\"1\",\"os\":\"linux\",\"arch\":\"amd64\"}",
                        StandardCharsets.UTF_16))
                .headers(Fixtures.bearer(org.write())).send();
        assertEquals(400, utf16.status(), utf16::toString);
        assertEquals("MALFORMED_JSON", utf16.code());
        assertEquals(0, read(RUNNERS, org.read()).getInt("total"));
    }

    @Test
    void anUnparsableContentTypeIs415() {
        Org org = organization();
        Http.Reply reply = http.call("POST", RUNNERS)
                .body(";", java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .headers(Fixtures.bearer(org.write())).send();
        assertEquals(415, reply.status(), reply::toString);
        assertEquals("UNSUPPORTED_MEDIA_TYPE", reply.code());
    }

    @Test
    void keyRequestsRefuseFarTimestampsAndRepeatedScopes() {
        String slug = fx.organization();
        for (String body : List.of(
                "{\"name\":\"far\",\"scopes\":[\"runners:read\"],\"expires_at\":\"+300000-12-31T23:59:59Z\"}",
                "{\"name\":\"far\",\"scopes\":[\"runners:read\"],\"expires_at\":\"+10000-01-01T00:00:00Z\"}",
                "{\"name\":\"twice\",\"scopes\":[\"runners:read\",\"runners:read\"]}")) {
            Http.Reply reply = http.post("/api/v1/admin/organizations/" + slug + "/api-keys", body,
                    "Authorization", Fixtures.ADMIN);
            assertEquals(400, reply.status(), reply::toString);
            assertEquals("INVALID_FIELD", reply.code());
        }
        Http.Reply keys = http.get("/api/v1/admin/organizations/" + slug + "/api-keys", "Authorization", Fixtures.ADMIN);
        assertEquals(0, keys.json().getJsonArray("api_keys").size());
    }

    @Test
    void conflictingOrMalformedCredentialsAreRefused() {
        Org org = organization();
        Http.Reply conflict = http.get(RUNNERS, "Authorization", "Bearer " + org.read(), "X-API-Key", org.write());
        assertEquals(401, conflict.status(), conflict::toString);
        assertEquals("INVALID_API_KEY", conflict.code());
        Http.Reply basic = http.get("/api/v1/admin/organizations/" + org.slug() + "/api-keys",
                "Authorization", "Basic " + dev.runners.server.support.TestDatabase.ADMIN_TOKEN);
        assertEquals(401, basic.status(), basic::toString);
        assertEquals("INVALID_ADMIN_TOKEN", basic.code());
    }

    @Test
    void healthAnswers405ToOtherMethods() {
        Http.Reply reply = http.call("PUT", "/health/live").send();
        assertEquals(405, reply.status(), reply::toString);
        assertEquals("METHOD_NOT_ALLOWED", reply.code());
        assertEquals("GET, HEAD, OPTIONS", reply.header("Allow").orElse(""), reply::toString);
        Http.Reply options = http.call("OPTIONS", "/health/ready").send();
        assertEquals(204, options.status(), options::toString);
        assertEquals("GET, HEAD, OPTIONS", options.header("Allow").orElse(""), options::toString);
    }

    @Test
    void anUnknownPathUnderHealthIsNotFound() {
        for (String method : List.of("GET", "POST", "DELETE")) {
            for (String path : List.of("/health/live/extra", "/health/nope")) {
                Http.Reply reply = http.call(method, path).send();
                assertEquals(404, reply.status(), reply::toString);
                assertEquals("NOT_FOUND", reply.code());
            }
        }
    }

    private String send(String request) throws IOException {
        try (Socket socket = new Socket(target.getUri().getHost(), target.getUri().getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return readOneResponse(socket.getInputStream());
        }
    }

    private static JsonObject problem(String answer) {
        assertTrue(answer.toLowerCase(Locale.ROOT).contains("content-type: application/problem+json"), answer);
        return Json.createReader(new StringReader(answer.substring(answer.indexOf("\r\n\r\n") + 4))).readObject();
    }

    /** Status line, headers and a Content-Length body; the server may keep the connection open. */
    private static String readOneResponse(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().contains("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return text.toString();
            }
            text.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
        if (length.find()) {
            text.append(new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8));
        }
        return text.toString();
    }
}
