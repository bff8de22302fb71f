package dev.runners.api;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import dev.runners.domain.LabelSet;
import dev.runners.domain.PageRequest;
import dev.runners.domain.PageRules;
import dev.runners.domain.PodFilter;
import dev.runners.domain.PodStatus;
import dev.runners.domain.RunnerFilter;
import dev.runners.domain.RunnerStatus;
import dev.runners.domain.Violation;

/**
 * Strict reading of raw query and path values into the domain's requests: nothing is trimmed,
 * clamped or guessed, and a refusal names the parameter. The limits themselves are the domain's
 * ({@link PageRules}, {@code FieldRules}); only the reading of the text is here.
 */
public final class QueryValues {
    public static final String LIMIT = "limit";
    public static final String OFFSET = "offset";
    public static final String STATUS = "status";
    public static final String LABEL = "label";

    /** The text of a decimal value: 0, or up to 19 digits without a leading zero. */
    static final String DECIMAL_SYNTAX = "0|[1-9][0-9]{0,18}";
    private static final int MAX_DECIMAL_DIGITS = 19;

    private QueryValues() {
    }

    /**
     * A page of a list under {@code rules}: absent parameters take their defaults, anything else
     * that is not a single integer within range is refused, naming the parameter.
     */
    public static PageRequest page(PageRules rules, List<String> limitValues, List<String> offsetValues) {
        int limit = rules.defaultLimit();
        if (limitValues != null && !limitValues.isEmpty()) {
            limit = integer(LIMIT, limitValues, 1, rules.maxLimit());
        }
        int offset = 0;
        if (offsetValues != null && !offsetValues.isEmpty()) {
            offset = integer(OFFSET, offsetValues, 0, Integer.MAX_VALUE);
        }
        return new PageRequest(limit, offset);
    }

    /** The runners list's filter: any of the statuses asked (none = all), every label asked. */
    public static RunnerFilter runnerFilter(List<String> statusValues, List<String> labelValues) {
        return new RunnerFilter(enumSet(STATUS, statusValues, RunnerStatus.class, RunnerStatus::fromWire,
                "online, busy, offline"), labels(labelValues));
    }

    /** The pods list's filter: any of the statuses asked (none = all). */
    public static PodFilter podFilter(List<String> statusValues) {
        return new PodFilter(enumSet(STATUS, statusValues, PodStatus.class, PodStatus::fromWire,
                "initializing, running, paused, disconnected, completed, terminated, error, orphaned"));
    }

    /** The labels a runner must all carry; each checked by the domain's label rule. */
    public static LabelSet labels(List<String> labelValues) {
        if (labelValues == null || labelValues.isEmpty()) {
            return LabelSet.empty();
        }
        List<Violation> violations = new ArrayList<>();
        LabelSet labels = LabelSet.of(labelValues, LABEL, violations);
        if (!violations.isEmpty()) {
            throw new InvalidInputException(InvalidInputException.Reason.INVALID_PARAMETER, violations);
        }
        return labels;
    }

    /** A path or query value that a domain rule checks ({@code FieldRules::podKey}); the rule's problem is refused. */
    public static String checked(String name, String value, UnaryOperator<String> problemOf) {
        String problem = problemOf.apply(value);
        if (problem != null) {
            throw InvalidInputException.parameter(name, problem);
        }
        return value;
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
        if (value == null || !decimal(value)) {
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

    /** Whether {@code value} has {@link #DECIMAL_SYNTAX}; checked by hand, as the regular expression cost ~1% of a request. */
    static boolean decimal(String value) {
        if (value.isEmpty() || value.length() > MAX_DECIMAL_DIGITS || (value.charAt(0) == '0' && value.length() > 1)) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The one value of a parameter that may be given at most once (callers handle its absence). */
    public static String single(String name, List<String> values) {
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
