package dev.runners.server.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.runners.server.support.Admin;
import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text: {@code initial_prompt} is any Unicode text of at most 65,536 code points and comes back
 * exactly as sent; what the database cannot store is a 400, never a 500. Every length limit counts
 * code points, identically on each database (SPEC Conventions, v1.1): a value at the limit in emoji
 * (two UTF-16 units each) or CJK is stored, one code point more is a 400 naming the field.
 * The edges of the field rules of registrations and pods are stored too: the columns of both
 * schemas are wide enough for them.
 */
abstract class TextContract extends ApiContract {
    private static final int LIMIT = 65_536;

    /** {@code count} code points cycling through {@code alphabet} (given as code points). */
    private static String text(int count, int... alphabet) {
        StringBuilder b = new StringBuilder(count * 2);
        for (int i = 0; i < count; i++) {
            b.appendCodePoint(alphabet[i % alphabet.length]);
        }
        String s = b.toString();
        assertEquals(count, s.codePointCount(0, s.length()));
        return s;
    }

    /** Emoji, CJK ideographs (BMP and supplementary), Hangul, ASCII, a newline, a combining mark. */
    private static final int[] MIXED = {0x1F600, 0x4E2D, 0x1F680, 0x6587, 0x20BB7, 'a', 0x1F469, 0x200D, 0x1F4BB,
            0xD55C, '\n', 0x3042, 'e', 0x0301, '"', '\\', 0x1F1EF, 0x1F1F5, 0x5B57, ' '};
    /** Only characters outside the BMP: two UTF-16 units each. */
    private static final int[] SUPPLEMENTARY = {0x1F600, 0x20000, 0x1F9D1, 0x2A6D6, 0x1F30F, 0x2B820, 0x1FAE0};

    /** Emoji: outside the BMP, two UTF-16 units each. */
    private static final int[] EMOJI = {0x1F600, 0x1F680, 0x1F469, 0x1F4BB, 0x1F30F};
    /** CJK ideographs inside the BMP, one UTF-16 unit each. */
    private static final int[] CJK = {0x4E2D, 0x6587, 0x5B57, 0x8A9E, 0x65E5};
    private static final String ADMIN_NAME = "Authorization";

    private void assertRoundTrip(Org t, long id, String key, String prompt) {
        Http.Reply created = putPod(t, id, key, "running", "claude-code", prompt);
        assertEquals(201, created.status(), () -> created.method() + " " + created.path() + " -> "
                + created.status() + " " + created.body().substring(0, Math.min(500, created.body().length())));
        assertTrue(prompt.equals(created.json().getJsonObject("pod").getString("initial_prompt")),
                "the prompt in the PUT answer differs from the one sent");
        JsonObject read = onlyPod(t, id, key);
        String back = read.getString("initial_prompt");
        assertEquals(prompt.length(), back.length(), "UTF-16 length read back");
        assertEquals(prompt.codePointCount(0, prompt.length()), back.codePointCount(0, back.length()));
        assertTrue(prompt.equals(back), "the prompt read back differs from the one sent");

        // sending the same prompt again is no change, so it is accepted
        Http.Reply again = putPod(t, id, key, "paused", "claude-code", prompt);
        assertEquals(200, again.status(), () -> again.method() + " " + again.path() + " -> " + again.status());
        assertEquals("paused", onlyPod(t, id, key).getString("status"));
    }

    @Test
    void aPromptOfTheFullLengthMixingEmojiAndCjkRoundTripsExactly() {
        Org t = organization();
        long id = runner(t, "text");
        String prompt = text(LIMIT, MIXED);
        assertTrue(prompt.length() > LIMIT, "more UTF-16 units than code points");
        assertRoundTrip(t, id, "mixed", prompt);
    }

    @Test
    void aPromptOfTheFullLengthOutsideTheBmpRoundTripsExactly() {
        Org t = organization();
        long id = runner(t, "text");
        String prompt = text(LIMIT, SUPPLEMENTARY);
        assertEquals(2 * LIMIT, prompt.length());
        assertRoundTrip(t, id, "astral", prompt);
    }

    @Test
    void aPromptOfTheFullLengthInCjkRoundTripsExactly() {
        Org t = organization();
        long id = runner(t, "text");
        assertRoundTrip(t, id, "cjk", text(LIMIT, CJK));
    }

    @Test
    void organizationAndKeyNamesOfTheFullLengthInEmojiOrCjkAreStoredAsSent() {
        Admin admin = new Admin(http);
        for (int[] alphabet : List.of(EMOJI, CJK)) {
            String slug = "text-" + UUID.randomUUID().toString().substring(0, 8);
            String organizationName = text(200, alphabet);
            Http.Reply organization = admin.createOrganization(Json.createObjectBuilder().add("slug", slug)
                    .add("name", organizationName).build().toString(), ADMIN_NAME, Fixtures.ADMIN);
            assertEquals(201, organization.status(), organization::toString);
            // the answer is read back from the database
            assertTrue(organizationName.equals(organization.json().getJsonObject("organization").getString("name")));

            String keyName = text(100, alphabet);
            JsonObject key = admin.key(slug, Json.createObjectBuilder().add("name", keyName)
                    .add("scopes", Json.createArrayBuilder().add(READ)).build().toString());
            long keyId = key.getJsonObject("api_key").getJsonNumber("id").longValue();
            assertTrue(keyName.equals(admin.listedKey(slug, keyId).getString("name")), "the key name read back");
        }
    }

    @Test
    void oneCodePointPastANameLimitIs400NamingTheField() {
        Admin admin = new Admin(http);
        String slug = fx.organization();
        for (int[] alphabet : List.of(EMOJI, CJK, new int[] {'n'})) {
            String refused = "text-" + UUID.randomUUID().toString().substring(0, 8);
            assertFieldErrors(admin.createOrganization(Json.createObjectBuilder().add("slug", refused)
                    .add("name", text(201, alphabet)).build().toString(), ADMIN_NAME, Fixtures.ADMIN),
                    "INVALID_FIELD", "name");
            assertFieldErrors(admin.createKey(slug, Json.createObjectBuilder().add("name", text(101, alphabet))
                    .add("scopes", Json.createArrayBuilder().add(READ)).build().toString(), ADMIN_NAME, Fixtures.ADMIN),
                    "INVALID_FIELD", "name");
            // nothing was created: the slug is still free
            assertEquals(201, admin.createOrganization("{\"slug\":\"" + refused + "\",\"name\":\"n\"}",
                    ADMIN_NAME, Fixtures.ADMIN).status());
        }
        Http.Reply keys = admin.listKeys(slug, ADMIN_NAME, Fixtures.ADMIN);
        assertEquals(0, keys.json().getJsonArray("api_keys").size(), keys::toString);
    }

    @Test
    void fieldsOfAsciiPatternsRefuseEmojiAndCjkNamingTheField() {
        Org t = organization();
        long id = runner(t, "text");
        for (int[] alphabet : List.of(EMOJI, CJK)) {
            String one = text(1, alphabet);
            for (String field : List.of("name", "version", "os", "arch")) {
                assertFieldErrors(register(t, registration("runner-" + field).add(field, one).build().toString()),
                        "INVALID_FIELD", field);
            }
            assertFieldErrors(register(t, registration("labelled").add("labels", array(List.of("gpu", one)))
                    .build().toString()), "INVALID_FIELD", "labels");
            assertFieldErrors(putPod(t, id, "pod", "running", one, null), "INVALID_FIELD", "agent_type_id");
        }
        assertEquals(1, runnerTotal(t));
        assertEquals(List.of(), pods(t, id));
    }

    @Test
    void onePastTheLimitIs400() {
        Org t = organization();
        long id = runner(t, "text");
        pod(t, id, "existing", "running", 201);
        for (int[] alphabet : List.of(MIXED, SUPPLEMENTARY, new int[] {'a'})) {
            String prompt = text(LIMIT + 1, alphabet);
            assertFieldErrors(putPod(t, id, "too-long", "running", "claude-code", prompt), "INVALID_FIELD",
                    "initial_prompt");
        }
        assertEquals(List.of("existing"), pods(t, id).stream().map(p -> p.getString("key")).toList());
        assertEquals(1, podCount(t, id));
        // 65,536 ASCII characters are fine
        assertRoundTrip(t, id, "ascii", text(LIMIT, 'a', 'b', 'c'));
    }

    @Test
    void aPromptContainingUPlus0000Is400NotA500() {
        Org t = organization();
        long id = runner(t, "text");
        pod(t, id, "existing", "running", 201);
        JsonObject before = onlyPod(t, id, "existing");
        for (String body : List.of(
                "{\"status\":\"running\",\"agent_type_id\":\"claude-code\",\"initial_prompt\":\"\\u0000\"}",
                "{\"status\":\"running\",\"agent_type_id\":\"claude-code\",\"initial_prompt\":\"before\\u0000after\"}",
                "{\"status\":\"running\",\"agent_type_id\":\"claude-code\",\"initial_prompt\":\"\\u0000\\u0000\"}",
                "{\"status\":\"running\",\"agent_type_id\":\"claude-code\",\"initial_prompt\":\"\u4e2d\\u0000\"}")) {
            assertFieldErrors(putPod(t, id, "nul", body), "INVALID_FIELD", "initial_prompt");
            assertFieldErrors(putPod(t, id, "existing", body), "INVALID_FIELD", "initial_prompt");
        }
        // the same built as a Java string and serialized by a JSON writer
        assertFieldErrors(putPod(t, id, "nul", "running", "claude-code", "x\u0000y"), "INVALID_FIELD",
                "initial_prompt");
        assertEquals(List.of(before), pods(t, id));
        assertEquals(1, podCount(t, id));
    }

    @Test
    void aPromptWithAnUnpairedSurrogateIs400NotA500() {
        Org t = organization();
        long id = runner(t, "text");
        for (String escaped : List.of("\\ud800", "x\\udc00y", "\\ud83d", "\\ude00\\ud83d")) {
            String body = "{\"status\":\"running\",\"agent_type_id\":\"claude-code\",\"initial_prompt\":\""
                    + escaped + "\"}";
            assertFieldErrors(putPod(t, id, "lone", body), "INVALID_FIELD", "initial_prompt");
        }
        assertEquals(List.of(), pods(t, id));
        // an escaped pair is one character and is fine
        Http.Reply pair = putPod(t, id, "pair",
                "{\"status\":\"running\",\"agent_type_id\":\"claude-code\",\"initial_prompt\":\"\\ud83d\\ude00\"}");
        assertEquals(201, pair.status(), pair::toString);
        assertEquals("\ud83d\ude00", onlyPod(t, id, "pair").getString("initial_prompt"));
    }

    @Test
    void unusualTextRoundTripsUnchanged() {
        Org t = organization();
        long id = runner(t, "text", 100);
        Map<String, String> samples = new LinkedHashMap<>();
        samples.put("empty", "");
        samples.put("controls", IntStream.rangeClosed(1, 0x1F).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString() + "\u007f\u0085");
        samples.put("decomposed", "e\u0301 vs \u00e9, \u212b vs \u00c5");
        samples.put("zwj", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67\u200D\uD83D\uDC66 \uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08");
        samples.put("rtl", "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u202eabc\u202c");
        samples.put("json", "\"quoted\" \\back\\slash\\ /slash/ {\"a\":[1]} \\u0000 </script>");
        samples.put("separators", "line\u2028para\u2029crlf\r\ntab\t");
        samples.put("specials", "\ufeffbom \ufffd \uffff \ufffe \uDBFF\uDFFF \uD800\uDC00");
        samples.put("whitespace", "  leading and trailing  \n");
        for (var sample : samples.entrySet()) {
            assertRoundTrip(t, id, sample.getKey(), sample.getValue());
        }
        assertEquals(samples.size(), pods(t, id).size());
    }

    /** The largest and smallest registration each rule allows is stored (the columns are wide enough). */
    @Test
    void theEdgesOfTheRegistrationRulesAreAccepted() {
        Org t = organization();
        List<String> labels32 = IntStream.range(0, 32).mapToObj(i -> "label-" + i).toList();
        Http.Reply reply = register(t, object(Map.of("name", "N".repeat(100), "version", "~".repeat(64),
                "os", "o".repeat(32), "arch", "x86_64", "labels", labels32, "max_pods", 1000)));
        assertEquals(201, reply.status(), reply::toString);
        JsonObject runner = reply.json().getJsonObject("runner");
        assertEquals(32, runner.getJsonArray("labels").size());
        assertEquals(1000, runner.getInt("max_pods"));

        Http.Reply small = register(t, object(Map.of("name", "9", "version", "1 beta (x) !", "os", "a",
                "arch", "-", "labels", List.of("a", "0", "x".repeat(63), "a.b_c-d"), "max_pods", 1)));
        assertEquals(201, small.status(), small::toString);
        assertEquals(array(List.of("0", "a", "a.b_c-d", "x".repeat(63))),
                small.json().getJsonObject("runner").getJsonArray("labels"));

        // the contract's maxItems counts entries as sent: 33 entries are refused even with a repeat
        List<String> repeated = new ArrayList<>(labels32);
        repeated.add("label-0");
        Http.Reply merged = register(t, object(Map.of("name", "merged", "version", "1", "os", "linux",
                "arch", "amd64", "labels", repeated)));
        assertEquals(400, merged.status(), merged::toString);
        assertEquals("INVALID_FIELD", merged.code());
        assertEquals(2, runnerTotal(t));
    }

    /** The edges of agent_type_id are stored (moved from the request-body suite, which runs once). */
    @Test
    void theEdgesOfThePodRulesAreStored() {
        Org t = organization();
        long id = runner(t, "pod-edges", 10);
        assertEquals(201, putPod(t, id, "edge-1", "running", "a".repeat(100), null).status());
        assertEquals(201, putPod(t, id, "edge-2", "running", "0.a_b-c", null).status());
        assertEquals("a".repeat(100), onlyPod(t, id, "edge-1").getString("agent_type_id"));
    }
}
