package dev.runners.server.it;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.runners.server.support.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text in pods: {@code initial_prompt} is any Unicode text of at most 65,536 code points and
 * comes back exactly as sent; what the database cannot store is a 400, never a 500.
 */
abstract class TextContract extends AgentContract {
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

    private void assertRoundTrip(Tenant t, long id, String key, String prompt) {
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
        Tenant t = tenant();
        long id = runner(t, "text");
        String prompt = text(LIMIT, MIXED);
        assertTrue(prompt.length() > LIMIT, "more UTF-16 units than code points");
        assertRoundTrip(t, id, "mixed", prompt);
    }

    @Test
    void aPromptOfTheFullLengthOutsideTheBmpRoundTripsExactly() {
        Tenant t = tenant();
        long id = runner(t, "text");
        String prompt = text(LIMIT, SUPPLEMENTARY);
        assertEquals(2 * LIMIT, prompt.length());
        assertRoundTrip(t, id, "astral", prompt);
    }

    @Test
    void onePastTheLimitIs400() {
        Tenant t = tenant();
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
        Tenant t = tenant();
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
        Tenant t = tenant();
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
        Tenant t = tenant();
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
}
