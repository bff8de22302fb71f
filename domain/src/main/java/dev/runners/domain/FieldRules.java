package dev.runners.domain;

import java.util.regex.Pattern;

/**
 * The syntax of every writable field. Each method returns the reason a value is refused, or
 * null when it is acceptable, so that a caller can collect every bad field at once.
 */
public final class FieldRules {
    public static final int MAX_PROMPT_CODE_POINTS = 65_536;
    public static final int DEFAULT_MAX_PODS = 10;
    public static final int MAX_MAX_PODS = 1000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern OS_ARCH = Pattern.compile("[a-z0-9_-]+");
    private static final Pattern AGENT_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7E]+");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private FieldRules() {
    }

    public static String runnerName(String value) {
        return named(value, 100, NAME, "[A-Za-z0-9][A-Za-z0-9._-]*");
    }

    public static String podKey(String value) {
        return named(value, 100, NAME, "[A-Za-z0-9][A-Za-z0-9._-]*");
    }

    public static String version(String value) {
        return named(value, 64, PRINTABLE, "printable ASCII characters");
    }

    public static String osOrArch(String value) {
        return named(value, 32, OS_ARCH, "[a-z0-9_-]");
    }

    public static String agentTypeId(String value) {
        return named(value, 100, AGENT_TYPE, "[a-z0-9][a-z0-9._-]*");
    }

    public static String slug(String value) {
        if (value != null && value.length() < 2) {
            return "must be 2-63 characters";
        }
        return named(value, 63, SLUG, "[a-z0-9]+(-[a-z0-9]+)*");
    }

    /** Free text such as an organization or key name: 1..max characters, no control characters. */
    public static String displayName(String value, int max) {
        if (value == null || value.isBlank() || value.codePointCount(0, value.length()) > max) {
            return "must be 1-" + max + " characters, not only white space";
        }
        String storable = storable(value);
        if (storable != null) {
            return storable;
        }
        return value.codePoints().anyMatch(Character::isISOControl) ? "must not contain control characters" : null;
    }

    public static String maxPods(long value) {
        return value < 1 || value > MAX_MAX_PODS ? "must be an integer from 1 to " + MAX_MAX_PODS : null;
    }

    /** Any Unicode text of at most 65,536 code points that both databases can store. */
    public static String initialPrompt(String value) {
        if (value == null) {
            return null;
        }
        if (value.codePointCount(0, value.length()) > MAX_PROMPT_CODE_POINTS) {
            return "must be at most " + MAX_PROMPT_CODE_POINTS + " characters";
        }
        return storable(value);
    }

    /** PostgreSQL text cannot hold U+0000, and UTF-8 cannot hold a lone surrogate. */
    private static String storable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "must not contain the character U+0000";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain an unpaired surrogate";
            }
            if (Character.isLowSurrogate(c)) {
                return "must not contain an unpaired surrogate";
            }
        }
        return null;
    }

    private static String named(String value, int max, Pattern pattern, String shape) {
        if (value == null || value.isEmpty() || value.length() > max) {
            return "must be 1-" + max + " characters";
        }
        if (!pattern.matcher(value).matches()) {
            return "must match " + shape;
        }
        return null;
    }
}
