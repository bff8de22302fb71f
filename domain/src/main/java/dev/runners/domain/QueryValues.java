package dev.runners.domain;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Strict reading of raw query and path values: nothing is trimmed, clamped or guessed. */
public final class QueryValues {
    private static final Pattern DIGITS = Pattern.compile("0|[1-9][0-9]{0,18}");

    private QueryValues() {
    }

    /** A single decimal integer in [min, max]. */
    public static int integer(String name, List<String> values, int min, int max) {
        return (int) longValue(name, single(name, values), min, max);
    }

    /** A single decimal integer from 0 to the largest int64, such as a feed version. */
    public static long nonNegative(String name, List<String> values) {
        return longValue(name, single(name, values), 0, Long.MAX_VALUE);
    }

    /** A positive int64 identifier, such as a path {@code id}. */
    public static long id(String name, String value) {
        return longValue(name, value, 1, Long.MAX_VALUE);
    }

    private static long longValue(String name, String value, long min, long max) {
        String range = "must be an integer from " + min + " to " + max;
        if (value == null || !DIGITS.matcher(value).matches()) {
            throw InvalidInputException.parameter(name, range);
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException tooLarge) {
            throw InvalidInputException.parameter(name, range);
        }
        if (parsed < min || parsed > max) {
            throw InvalidInputException.parameter(name, range);
        }
        return parsed;
    }

    private static String single(String name, List<String> values) {
        if (values.size() > 1) {
            throw InvalidInputException.parameter(name, "must be given at most once");
        }
        return values.get(0);
    }

    /** Every value of a repeatable enumerated parameter; an empty list means no filter. */
    public static <E extends Enum<E>> EnumSet<E> enumSet(String name, List<String> values, Class<E> type,
                                                         Function<String, Optional<E>> fromWire, String allowed) {
        EnumSet<E> set = EnumSet.noneOf(type);
        if (values == null) {
            return set;
        }
        for (String value : values) {
            set.add(fromWire.apply(value).orElseThrow(
                    () -> InvalidInputException.parameter(name, "must be one of " + allowed)));
        }
        return set;
    }
}
