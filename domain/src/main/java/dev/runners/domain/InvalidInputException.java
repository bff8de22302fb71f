package dev.runners.domain;

import java.util.List;

/** Input that is refused before anything is read or written; carries every violation found. */
public final class InvalidInputException extends RuntimeException {
    /** What kind of input was wrong; each maps to one stable error code. */
    public enum Reason {
        INVALID_PARAMETER, UNKNOWN_PARAMETER, INVALID_FIELD, UNKNOWN_FIELD, MALFORMED_JSON;

        public boolean aboutParameters() {
            return this == INVALID_PARAMETER || this == UNKNOWN_PARAMETER;
        }
    }

    private final Reason reason;
    private final List<Violation> violations;

    public InvalidInputException(Reason reason, List<Violation> violations) {
        super(reason + ": " + violations, null, false, false);
        this.reason = reason;
        this.violations = List.copyOf(violations);
    }

    public static InvalidInputException parameter(String name, String message) {
        return new InvalidInputException(Reason.INVALID_PARAMETER, List.of(new Violation(name, message)));
    }

    public Reason reason() {
        return reason;
    }

    public List<Violation> violations() {
        return violations;
    }
}
