package dev.runners.api;

import java.util.List;

import dev.runners.domain.Violation;

/**
 * Input that is refused at the HTTP surface, before anything is read or written; carries every
 * violation found. The domain's rules say what is wrong ({@link Violation}); this says where it was
 * sent (a parameter or a body field) and how it failed to parse.
 */
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
