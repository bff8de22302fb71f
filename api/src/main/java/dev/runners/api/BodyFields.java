package dev.runners.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.runners.domain.Violation;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Reads the fields of one JSON request body: unknown fields are refused first, then every field
 * is checked and every problem collected, so a client learns all that is wrong in one answer.
 */
public final class BodyFields {
    /** RFC 3339 date-time: seconds required, an optional fraction, then Z or a numeric offset. */
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    /** RFC 3339 has four-digit years; both databases store this range. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private final JsonObject body;
    private final List<Violation> violations = new ArrayList<>();

    private BodyFields(JsonObject body) {
        this.body = body;
    }

    /** @throws InvalidInputException UNKNOWN_FIELD naming every field not in {@code allowed} */
    public static BodyFields of(JsonObject body, Set<String> allowed) {
        if (allowed.containsAll(body.keySet())) {
            return new BodyFields(body);
        }
        // named in order only when there is something to name: sorting every body's keys cost ~1% of a pod report
        List<Violation> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(body.keySet())) {
            if (!allowed.contains(name)) {
                unknown.add(new Violation(name, "is not a field of this request"));
            }
        }
        throw new InvalidInputException(InvalidInputException.Reason.UNKNOWN_FIELD, unknown);
    }

    public boolean has(String name) {
        return body.containsKey(name);
    }

    /** A required string checked by {@code rule} (which returns a problem or null). */
    public String requiredString(String name, Function<String, String> rule) {
        if (!body.containsKey(name)) {
            violations.add(new Violation(name, "is required"));
            return null;
        }
        return optionalString(name, rule, false);
    }

    /** An optional string: absent gives null; JSON null is accepted only when {@code nullable}. */
    public String optionalString(String name, Function<String, String> rule, boolean nullable) {
        JsonValue value = body.get(name);
        if (value == null || (nullable && value.getValueType() == JsonValue.ValueType.NULL)) {
            return null;
        }
        if (!(value instanceof JsonString string)) {
            violations.add(new Violation(name, "must be a string"));
            return null;
        }
        return checked(name, string.getString(), rule);
    }

    /** A required boolean; null when absent or not a boolean (then a violation is recorded). */
    public Boolean requiredBoolean(String name) {
        JsonValue value = body.get(name);
        if (value == null) {
            violations.add(new Violation(name, "is required"));
            return null;
        }
        if (value.getValueType() == JsonValue.ValueType.TRUE) {
            return Boolean.TRUE;
        }
        if (value.getValueType() == JsonValue.ValueType.FALSE) {
            return Boolean.FALSE;
        }
        violations.add(new Violation(name, "must be true or false"));
        return null;
    }

    /** An optional integer within the bounds that {@code rule} checks. */
    public Integer optionalInteger(String name, Function<Long, String> rule) {
        JsonValue value = body.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            violations.add(new Violation(name, "must be an integer"));
            return null;
        }
        long parsed;
        try {
            parsed = number.bigIntegerValueExact().longValueExact();
        } catch (ArithmeticException outOfRange) {
            violations.add(new Violation(name, rule.apply(Long.MAX_VALUE)));
            return null;
        }
        String problem = rule.apply(parsed);
        if (problem != null) {
            violations.add(new Violation(name, problem));
            return null;
        }
        return (int) parsed;
    }

    /** An optional array of strings; null when absent or wrong (then a violation is recorded). */
    public List<String> optionalStringArray(String name, int maxItems) {
        JsonValue value = body.get(name);
        if (value == null) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            violations.add(new Violation(name, "must be an array of strings"));
            return null;
        }
        List<String> items = new ArrayList<>();
        for (JsonValue item : value.asJsonArray()) {
            if (!(item instanceof JsonString string)) {
                violations.add(new Violation(name, "must be an array of strings"));
                return null;
            }
            items.add(string.getString());
        }
        if (items.size() > maxItems) {
            violations.add(new Violation(name, "must have at most " + maxItems + " items"));
            return null;
        }
        return items;
    }

    /** An optional RFC 3339 timestamp. */
    public Instant optionalTimestamp(String name, boolean nullable) {
        String text = optionalString(name, s -> null, nullable);
        if (text == null) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(text, RFC_3339).toInstant();
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                violations.add(new Violation(name, "must lie between years 1 and 9999 (RFC 3339)"));
                return null;
            }
            return instant;
        } catch (DateTimeParseException e) {
            violations.add(new Violation(name, "must be an RFC 3339 timestamp such as 2030-01-15T14:30:00Z"));
            return null;
        }
    }

    /** Records a problem found by a rule that spans the body. */
    public void reject(String name, String message) {
        violations.add(new Violation(name, message));
    }

    public List<Violation> violations() {
        return violations;
    }

    /** @throws InvalidInputException INVALID_FIELD listing every problem found */
    public void finish() {
        if (!violations.isEmpty()) {
            throw new InvalidInputException(InvalidInputException.Reason.INVALID_FIELD, violations);
        }
    }

    private String checked(String name, String value, Function<String, String> rule) {
        String problem = rule.apply(value);
        if (problem != null) {
            violations.add(new Violation(name, problem));
            return null;
        }
        return value;
    }
}
