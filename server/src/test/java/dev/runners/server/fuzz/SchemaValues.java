package dev.runners.server.fuzz;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.media.Schema;

/**
 * Values drawn from a schema of the contract: valid ones (enums, patterns, ranges, lengths counted in
 * code points, formats, examples, boundaries) and invalid ones, each with what is wrong with it.
 */
final class SchemaValues {
    /** Whether the contract makes a value acceptable, refused, or leaves it open. */
    enum Verdict { VALID, INVALID, EITHER }

    /** A value with what is special about it, and whether the contract accepts it. */
    record Candidate(String what, Object value, Verdict verdict) {
    }

    /** Query or path text that goes into the URI as it is, already percent-encoded (or deliberately not). */
    record Encoded(String text) {
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String EMOJI = "\uD83D\uDE00";
    private static final String CJK = "\u6F22";
    private static final String[] WORDS = {"alpha", "Beta", "gamma", "Delta", "42", "x", "node", "team", "Acme",
            "\u00E9t\u00E9", "\u6F22\u5B57", "\uD83D\uDE80", "caf\u00E9", "\u0416\u0443\u043A", "test"};
    private static final int UNBOUNDED_TEXT = 200;

    private final Random random;

    SchemaValues(Random random) {
        this.random = random;
    }

    // ---------------------------------------------------------------- valid

    Object valid(Schema<?> schema) {
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return schema.getEnum().get(random.nextInt(schema.getEnum().size()));
        }
        // examples of formatted values (a timestamp that may lie in the past) are not drawn
        Object example = schema.getFormat() == null ? plain(schema.getExample()) : null;
        if (example != null && random.nextInt(5) == 0 && !(example instanceof List<?>)
                && !(example instanceof Map<?, ?>) && conforms(schema, example)) {
            return example;
        }
        String type = schema.getType() == null ? "object" : schema.getType();
        return switch (type) {
            case "string" -> validString(schema);
            // the contract has no fractional numbers; whole ones are numbers too
            case "integer", "number" -> validInteger(schema);
            case "boolean" -> random.nextBoolean();
            case "array" -> validArray(schema);
            case "object" -> validObject(schema);
            default -> throw new IllegalArgumentException("the fuzzer does not generate values of type " + type);
        };
    }

    /** A valid value as it is written in a query or path. */
    String validText(Schema<?> schema) {
        return String.valueOf(valid(schema));
    }

    Map<String, Object> validObject(Schema<?> schema) {
        Map<String, Object> object = new LinkedHashMap<>();
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> {
                if (required.contains(name) || random.nextBoolean()) {
                    boolean nullable = Boolean.TRUE.equals(property.getNullable());
                    object.put(name, nullable && random.nextInt(8) == 0 ? null : valid(property));
                }
            });
        }
        return object;
    }

    private List<Object> validArray(Schema<?> schema) {
        if (plain(schema.getExample()) instanceof List<?> example && random.nextInt(4) == 0 && example.stream()
                .allMatch(item -> conforms(schema.getItems(), item))) {
            return new ArrayList<>(example);
        }
        int min = schema.getMinItems() == null ? 0 : schema.getMinItems();
        int max = schema.getMaxItems() == null ? min + 4 : schema.getMaxItems();
        int size = random.nextInt(10) == 0 ? max : min + random.nextInt(Math.min(max, min + 3) - min + 1);
        boolean unique = Boolean.TRUE.equals(schema.getUniqueItems());
        List<Object> items = new ArrayList<>();
        Set<Object> seen = new LinkedHashSet<>();
        for (int attempt = 0; items.size() < size && attempt < size * 10; attempt++) {
            Object item = valid(schema.getItems());
            if (!unique || seen.add(item)) {
                items.add(item);
            }
        }
        if (items.size() < min) {
            throw new IllegalStateException("cannot draw " + min + " distinct items for " + schema);
        }
        return items;
    }

    private Object validInteger(Schema<?> schema) {
        BigInteger min = lowest(schema);
        BigInteger max = highest(schema);
        return switch (random.nextInt(6)) {
            case 0 -> narrow(min);
            case 1 -> narrow(max);
            default -> {
                BigInteger span = max.subtract(min);
                BigInteger offset = span.compareTo(BigInteger.valueOf(1000)) > 0 && random.nextBoolean()
                        ? BigInteger.valueOf(random.nextInt(1000))
                        : new BigInteger(span.bitLength() + 8, random).mod(span.add(BigInteger.ONE));
                yield narrow(min.add(offset));
            }
        };
    }

    private String validString(Schema<?> schema) {
        int min = schema.getMinLength() == null ? 0 : schema.getMinLength();
        if ("date-time".equals(schema.getFormat())) {
            return futureTimestamp();
        }
        if (schema.getPattern() != null) {
            return patterned(schema, min, schema.getMaxLength() == null ? 64 : schema.getMaxLength());
        }
        return freeText(min, schema.getMaxLength());
    }

    private String patterned(Schema<?> schema, int min, int max) {
        PatternStrings strings = PatternStrings.of(schema.getPattern());
        Pattern compiled = Pattern.compile(schema.getPattern());
        for (int attempt = 0; attempt < 50; attempt++) {
            int repeat = random.nextInt(8) == 0 ? max : 1 + random.nextInt(Math.max(1, Math.min(max, 24)));
            String value = strings.generate(random, repeat);
            int length = value.codePointCount(0, value.length());
            if (length > max && attempt % 2 == 0) {
                value = value.substring(0, value.offsetByCodePoints(0, max));
                length = max;
            }
            if (length >= min && length <= max && compiled.matcher(value).find()) {
                return value;
            }
        }
        throw new IllegalStateException("cannot draw a string of " + min + "-" + max + " for " + schema.getPattern());
    }

    /** Free text: words in several scripts, or exactly the maximum length in emoji, CJK or ASCII. */
    String freeText(int min, Integer maxLength) {
        int max = maxLength == null ? UNBOUNDED_TEXT : maxLength;
        int start = Math.max(min, 1);
        return switch (random.nextInt(10)) {
            case 0 -> EMOJI.repeat(max);
            case 1 -> CJK.repeat(max);
            case 2 -> "A" + "b".repeat(max - 1);
            default -> {
                StringBuilder text = new StringBuilder(WORDS[random.nextInt(WORDS.length)]);
                int words = random.nextInt(4);
                for (int i = 0; i < words; i++) {
                    text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
                }
                String value = text.toString();
                int length = value.codePointCount(0, value.length());
                if (length > max) {
                    value = value.substring(0, value.offsetByCodePoints(0, max)).strip();
                }
                while (value.codePointCount(0, value.length()) < start) {
                    value = value + "x";
                }
                yield value;
            }
        };
    }

    /** A time after today (so that a seed draws the same requests all day), up to ten years ahead. */
    String futureTimestamp() {
        Instant at = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(2 + random.nextInt(3650), ChronoUnit.DAYS)
                .plusSeconds(random.nextInt(86_400));
        return switch (random.nextInt(4)) {
            case 0 -> at.plusNanos(1000L * (1 + random.nextInt(999_999))).toString();
            case 1 -> at.atOffset(ZoneOffset.ofHours(2)).truncatedTo(ChronoUnit.SECONDS)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            default -> SECONDS.format(at);
        };
    }

    // ---------------------------------------------------------------- invalid (JSON values)

    /** Values that break {@code schema} (or are odd), as JSON values of a body. */
    List<Candidate> invalid(Schema<?> schema) {
        List<Candidate> out = new ArrayList<>();
        boolean nullable = Boolean.TRUE.equals(schema.getNullable());
        String type = schema.getType() == null ? "object" : schema.getType();
        if (!nullable) {
            out.add(new Candidate("null", null, Verdict.INVALID));
        }
        if (!type.equals("object")) {
            out.add(new Candidate("an object", Map.of("a", 1), Verdict.INVALID));
        }
        if (!type.equals("array")) {
            out.add(new Candidate("an array", List.of(valid(schema)), Verdict.INVALID));
        }
        if (!type.equals("boolean")) {
            out.add(new Candidate("a boolean", random.nextBoolean(), Verdict.INVALID));
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            for (String text : invalidTexts(schema, false)) {
                out.add(new Candidate("not one of the enum: '" + text + "'", text, Verdict.INVALID));
            }
            if (!type.equals("integer")) {
                out.add(new Candidate("a number", 7, Verdict.INVALID));
            }
            return out;
        }
        switch (type) {
            case "string" -> {
                out.add(new Candidate("a number", random.nextInt(100), Verdict.INVALID));
                for (String text : invalidTexts(schema, false)) {
                    out.add(new Candidate("'" + abbreviate(text) + "'", text, Verdict.INVALID));
                }
                if ("date-time".equals(schema.getFormat())) {
                    out.add(new Candidate("an offset timestamp",
                            futureTimestamp().replace("Z", "+00:00"), Verdict.EITHER));
                }
            }
            case "integer", "number" -> {
                out.add(new Candidate("a string", String.valueOf(validInteger(schema)), Verdict.INVALID));
                out.add(new Candidate("a fraction", new Json.Raw("1.5"), Verdict.INVALID));
                out.add(new Candidate("1e400", new Json.Raw("1e400"), Verdict.INVALID));
                out.add(new Candidate("-1e400", new Json.Raw("-1e400"), Verdict.INVALID));
                out.add(new Candidate("2^63", new Json.Raw("9223372036854775808"), Verdict.INVALID));
                out.add(new Candidate("an integer written with an exponent", new Json.Raw(
                        validInteger(schema) + "e0"), Verdict.EITHER));
                out.add(new Candidate("an integer written with .0", new Json.Raw(validInteger(schema) + ".0"),
                        Verdict.EITHER));
                if (schema.getMinimum() != null) {
                    out.add(new Candidate("below the minimum", lowest(schema).subtract(BigInteger.ONE),
                            Verdict.INVALID));
                }
                if (schema.getMaximum() != null) {
                    out.add(new Candidate("above the maximum", highest(schema).add(BigInteger.ONE), Verdict.INVALID));
                }
            }
            case "boolean" -> {
                out.add(new Candidate("the string true", "true", Verdict.INVALID));
                out.add(new Candidate("the number 1", 1, Verdict.INVALID));
            }
            case "array" -> {
                out.add(new Candidate("a string", "x", Verdict.INVALID));
                out.add(new Candidate("an array holding an object", List.of(Map.of("a", 1)), Verdict.INVALID));
                for (Candidate item : invalid(schema.getItems())) {
                    if (item.verdict() == Verdict.INVALID && item.value() != null) {
                        List<Object> items = new ArrayList<>(validArray(schema));
                        items.add(random.nextInt(items.size() + 1), item.value());
                        if (schema.getMaxItems() == null || items.size() <= schema.getMaxItems()) {
                            out.add(new Candidate("an item " + item.what(), items, Verdict.INVALID));
                        }
                    }
                }
                if (schema.getMaxItems() != null) {
                    out.add(new Candidate("more than " + schema.getMaxItems() + " items",
                            distinctItems(schema, schema.getMaxItems() + 1), Verdict.INVALID));
                }
                if (schema.getMinItems() != null && schema.getMinItems() > 0) {
                    out.add(new Candidate("fewer than " + schema.getMinItems() + " items", List.of(), Verdict.INVALID));
                }
                if (Boolean.TRUE.equals(schema.getUniqueItems())) {
                    Object item = valid(schema.getItems());
                    out.add(new Candidate("a repeated item", List.of(item, item), Verdict.INVALID));
                }
            }
            default -> {
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- invalid (query and path text)

    /**
     * Texts that break a query or path parameter's schema; {@link Encoded} ones go into the URI as they are.
     * (A percent-escape that is not one, such as {@code %ZZ}, cannot be sent by java.net.http; the
     * hostile-input tests send it over a socket.) {@code valid} is a good value, for the odd spellings of it.
     */
    List<Candidate> invalidInUri(Schema<?> schema, boolean inPath, String valid) {
        List<Candidate> out = new ArrayList<>();
        Schema<?> scalar = "array".equals(schema.getType()) ? schema.getItems() : schema;
        for (String text : invalidTexts(scalar, true)) {
            out.add(new Candidate("'" + abbreviate(text) + "'", text, Verdict.INVALID));
        }
        out.add(new Candidate("bytes that are not UTF-8", new Encoded("%FF%FE"), Verdict.INVALID));
        if (inPath) {
            out.add(new Candidate("a matrix parameter", new Encoded(encode(valid) + ";x=1"),
                    Verdict.INVALID));
        }
        if ("integer".equals(scalar.getType())) {
            out.add(new Candidate("an explicit plus sign", "+" + valid, Verdict.EITHER));
            out.add(new Candidate("a leading zero", "0" + valid, Verdict.EITHER));
        }
        if ("array".equals(schema.getType()) && schema.getMaxItems() != null) {
            out.add(new Candidate("more than " + schema.getMaxItems() + " values",
                    distinctItems(schema, schema.getMaxItems() + 1), Verdict.INVALID));
        }
        return out;
    }

    /** Texts that break a string or integer schema (the scalar of a parameter, or a string field). */
    private List<String> invalidTexts(Schema<?> schema, boolean inUri) {
        List<String> out = new ArrayList<>();
        String type = schema.getType() == null ? "string" : schema.getType();
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            String value = String.valueOf(schema.getEnum().get(random.nextInt(schema.getEnum().size())));
            for (String text : List.of(value.toUpperCase(Locale.ROOT), value + " ", "", "bogus",
                    value + "," + value, value + "\u0000", "\uD83D\uDE00")) {
                if (schema.getEnum().stream().noneMatch(e -> String.valueOf(e).equals(text))) {
                    out.add(text);
                }
            }
            return out;
        }
        if (type.equals("integer") || type.equals("number")) {
            out.addAll(List.of("abc", "", "1.5", "1e3", "0x10", "-", "1,2", " 1", "1 ", "\u0661",
                    "99999999999999999999", "NaN"));
            if (schema.getMinimum() != null) {
                out.add(lowest(schema).subtract(BigInteger.ONE).toString());
            }
            if (schema.getMaximum() != null) {
                out.add(highest(schema).add(BigInteger.ONE).toString());
            }
            return out;
        }
        if ("date-time".equals(schema.getFormat())) {
            out.addAll(List.of("2030-01-15", "2030-01-15T14:30Z", "2030-02-30T00:00:00Z", "tomorrow", "",
                    "2030-01-15 14:30:00Z", "+10000-01-01T00:00:00Z", "2030-01-15T14:30:00"));
            return out;
        }
        Integer max = schema.getMaxLength();
        int min = schema.getMinLength() == null ? 0 : schema.getMinLength();
        if (min > 0) {
            out.add("");
        }
        if (max != null) {
            String valid = schema.getPattern() == null ? "" : patterned(schema, 1, Math.min(max, 8));
            String filler = schema.getPattern() == null ? EMOJI : valid.substring(valid.length() - 1);
            String longer = valid + filler.repeat(max + 1 - valid.codePointCount(0, valid.length()));
            out.add(longer);
            if (!inUri) {
                out.add("y".repeat(100_000));
            } else {
                out.add("y".repeat(2_000));
            }
        }
        if (schema.getPattern() != null) {
            Pattern compiled = Pattern.compile(schema.getPattern());
            String valid = patterned(schema, min, max == null ? 32 : Math.min(max, 32) - 1);
            for (String bad : List.of(" ", "/", "\u00E9", EMOJI, "\u0000", "A", "a", "-", ".", "_", "\\", "'",
                    "\u202E", "<")) {
                int at = random.nextInt(valid.length() + 1);
                String text = valid.substring(0, at) + bad + valid.substring(at);
                if (!compiled.matcher(text).find() && !(inUri && (bad.equals("/") || text.equals(".")
                        || text.equals("..")))) {
                    out.add(text);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- odd text for free-text fields

    /** Unusual but possibly acceptable text for a string without pattern, enum or format. */
    List<Candidate> oddText(Schema<?> schema) {
        int max = schema.getMaxLength() == null ? UNBOUNDED_TEXT : schema.getMaxLength();
        List<Candidate> out = new ArrayList<>();
        for (String text : List.of("\u0000", "a\u0000b", "\uD800", "x\uDC00", "\u202Eevil", "\u200B", "\uFEFFbom",
                "e\u0301", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\u0085", "\u00A0", "a\tb",
                "line\nbreak", "   ", "\u3000", "\u007F", "\uFFFF", "\uD83D\uDE00 ".repeat(3))) {
            out.add(new Candidate("odd text " + escape(text), text, Verdict.EITHER));
        }
        out.add(new Candidate("exactly the maximum in emoji", EMOJI.repeat(max), Verdict.VALID));
        out.add(new Candidate("exactly the maximum in CJK", CJK.repeat(max), Verdict.VALID));
        out.add(new Candidate("one emoji over the maximum", EMOJI.repeat(max + 1), Verdict.INVALID));
        out.add(new Candidate("one CJK character over the maximum", CJK.repeat(max + 1), Verdict.INVALID));
        return out;
    }

    static boolean isFreeText(Schema<?> schema) {
        return "string".equals(schema.getType()) && schema.getPattern() == null && schema.getEnum() == null
                && schema.getFormat() == null;
    }

    // ---------------------------------------------------------------- helpers

    /** Percent-encodes every byte of the UTF-8 form except the unreserved characters of RFC 3986. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private List<Object> distinctItems(Schema<?> array, int count) {
        Set<Object> items = new LinkedHashSet<>();
        for (int attempt = 0; items.size() < count && attempt < count * 20; attempt++) {
            items.add(valid(array.getItems()));
        }
        for (int i = 0; items.size() < count; i++) {
            items.add("l" + i);
        }
        return new ArrayList<>(items);
    }

    private boolean conforms(Schema<?> schema, Object example) {
        if (schema == null || !(example instanceof String text) || schema.getPattern() == null) {
            return schema == null || !(example instanceof String) || schema.getPattern() == null;
        }
        int length = text.codePointCount(0, text.length());
        return Pattern.compile(schema.getPattern()).matcher(text).find()
                && (schema.getMaxLength() == null || length <= schema.getMaxLength())
                && (schema.getMinLength() == null || length >= schema.getMinLength());
    }

    /** An example as the parser gives it (a Jackson node, for arrays and objects) as a plain Java value. */
    private static Object plain(Object example) {
        if (!(example instanceof JsonNode node)) {
            return example;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isArray()) {
            List<Object> items = new ArrayList<>();
            node.forEach(item -> items.add(plain(item)));
            return items;
        }
        if (node.isObject()) {
            Map<String, Object> members = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> members.put(e.getKey(), plain(e.getValue())));
            return members;
        }
        return null;
    }

    private static BigInteger lowest(Schema<?> schema) {
        BigInteger min = schema.getMinimum() == null ? typeLimit(schema, false) : ceil(schema.getMinimum());
        return Boolean.TRUE.equals(schema.getExclusiveMinimum()) ? min.add(BigInteger.ONE) : min;
    }

    private static BigInteger highest(Schema<?> schema) {
        BigInteger max = schema.getMaximum() == null ? typeLimit(schema, true) : floor(schema.getMaximum());
        return Boolean.TRUE.equals(schema.getExclusiveMaximum()) ? max.subtract(BigInteger.ONE) : max;
    }

    private static BigInteger typeLimit(Schema<?> schema, boolean upper) {
        boolean int32 = "int32".equals(schema.getFormat());
        long limit = upper ? (int32 ? Integer.MAX_VALUE : Long.MAX_VALUE)
                : (int32 ? Integer.MIN_VALUE : Long.MIN_VALUE);
        return BigInteger.valueOf(limit);
    }

    private static BigInteger ceil(BigDecimal value) {
        return value.setScale(0, java.math.RoundingMode.CEILING).toBigIntegerExact();
    }

    private static BigInteger floor(BigDecimal value) {
        return value.setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact();
    }

    private static Object narrow(BigInteger value) {
        return value.bitLength() < 32 ? (Object) value.intValue() : value.bitLength() < 64 ? value.longValue() : value;
    }

    static String abbreviate(String text) {
        String escaped = escape(text);
        return escaped.length() > 40 ? escaped.substring(0, 40) + "...(" + text.length() + " chars)" : escaped;
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> {
            if (c < 0x20 || (c >= 0x7F && c < 0xA0) || Character.isSurrogate((char) c)
                    || c == 0x200B || c == 0x202E || c == 0xFEFF || c == 0xFFFF) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.append((char) c);
            }
        });
        return out.toString();
    }
}
