package dev.runners.domain;

/**
 * The syntax of every writable field. Each method returns the reason a value is refused, or
 * null when it is acceptable, so that a caller can collect every bad field at once.
 */
public final class FieldRules {
    // The contract (openapi.yaml) states each of these as a schema's pattern and limits; FieldRulesContractTest holds them together.
    /** Runner names and pod keys. */
    public static final String NAME_SYNTAX = "[A-Za-z0-9][A-Za-z0-9._-]*";
    public static final int MAX_NAME_LENGTH = 100;
    public static final String VERSION_SYNTAX = "[\\x20-\\x7E]+";
    public static final int MAX_VERSION_LENGTH = 64;
    public static final String OS_ARCH_SYNTAX = "[a-z0-9_-]+";
    public static final int MAX_OS_ARCH_LENGTH = 32;
    public static final String AGENT_TYPE_SYNTAX = "[a-z0-9][a-z0-9._-]*";
    public static final int MAX_AGENT_TYPE_LENGTH = 100;
    public static final String SLUG_SYNTAX = "[a-z0-9]+(-[a-z0-9]+)*";
    public static final int MIN_SLUG_LENGTH = 2;
    public static final int MAX_SLUG_LENGTH = 63;
    public static final int MAX_ORGANIZATION_NAME_LENGTH = 200;
    public static final int MAX_API_KEY_NAME_LENGTH = 100;
    public static final int MAX_PROMPT_CODE_POINTS = 65_536;
    public static final int DEFAULT_MAX_PODS = 10;
    public static final int MIN_MAX_PODS = 1;
    public static final int MAX_MAX_PODS = 1000;

    /**
     * The syntaxes above, each checked character by character: matching the regular expressions
     * cost ~4% of a pod report's CPU. FieldRulesSyntaxTest holds each against its expression.
     */
    enum Syntax {
        NAME(NAME_SYNTAX) {
            @Override
            boolean accepts(char c, int at, String value) {
                return letterOrDigit(c) || (at > 0 && (c == '.' || c == '_' || c == '-'));
            }
        },
        PRINTABLE(VERSION_SYNTAX) {
            @Override
            boolean accepts(char c, int at, String value) {
                return c >= 0x20 && c <= 0x7E;
            }
        },
        OS_ARCH(OS_ARCH_SYNTAX) {
            @Override
            boolean accepts(char c, int at, String value) {
                return lowerOrDigit(c) || c == '_' || c == '-';
            }
        },
        AGENT_TYPE(AGENT_TYPE_SYNTAX) {
            @Override
            boolean accepts(char c, int at, String value) {
                return lowerOrDigit(c) || (at > 0 && (c == '.' || c == '_' || c == '-'));
            }
        },
        SLUG(SLUG_SYNTAX) {
            @Override
            boolean accepts(char c, int at, String value) {
                // a hyphen only between two letters or digits
                return lowerOrDigit(c) || (c == '-' && at > 0 && at < value.length() - 1
                        && value.charAt(at - 1) != '-');
            }
        };

        /** The regular expression this syntax is, as the contract states it. */
        final String expression;

        Syntax(String expression) {
            this.expression = expression;
        }

        /** Whether {@code c}, at index {@code at} of {@code value}, may stand there. */
        abstract boolean accepts(char c, int at, String value);

        /** Whether the whole of {@code value}, at least one character, has this syntax. */
        boolean matches(String value) {
            if (value.isEmpty()) {
                return false;
            }
            for (int i = 0; i < value.length(); i++) {
                if (!accepts(value.charAt(i), i, value)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean lowerOrDigit(char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        }

        private static boolean letterOrDigit(char c) {
            return lowerOrDigit(c) || (c >= 'A' && c <= 'Z');
        }
    }

    private FieldRules() {
    }

    public static String runnerName(String value) {
        return named(value, MAX_NAME_LENGTH, Syntax.NAME, NAME_SYNTAX);
    }

    public static String podKey(String value) {
        return named(value, MAX_NAME_LENGTH, Syntax.NAME, NAME_SYNTAX);
    }

    public static String version(String value) {
        return named(value, MAX_VERSION_LENGTH, Syntax.PRINTABLE, "printable ASCII characters");
    }

    public static String osOrArch(String value) {
        return named(value, MAX_OS_ARCH_LENGTH, Syntax.OS_ARCH, "[a-z0-9_-]");
    }

    public static String agentTypeId(String value) {
        return named(value, MAX_AGENT_TYPE_LENGTH, Syntax.AGENT_TYPE, AGENT_TYPE_SYNTAX);
    }

    public static String slug(String value) {
        if (value != null && value.length() < MIN_SLUG_LENGTH) {
            return "must be " + MIN_SLUG_LENGTH + "-" + MAX_SLUG_LENGTH + " characters";
        }
        return named(value, MAX_SLUG_LENGTH, Syntax.SLUG, SLUG_SYNTAX);
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
        return value < MIN_MAX_PODS || value > MAX_MAX_PODS ? "must be an integer from " + MIN_MAX_PODS + " to " + MAX_MAX_PODS : null;
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

    private static String named(String value, int max, Syntax syntax, String shape) {
        if (value == null || value.isEmpty() || value.length() > max) {
            return "must be 1-" + max + " characters";
        }
        if (!syntax.matches(value)) {
            return "must match " + shape;
        }
        return null;
    }
}
