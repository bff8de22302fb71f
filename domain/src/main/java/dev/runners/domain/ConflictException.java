package dev.runners.domain;

/** A well-formed request that contradicts what is stored. */
public final class ConflictException extends RuntimeException {
    public enum Reason {
        RUNNER_NAME_TAKEN, POD_KEY_TAKEN, INVALID_TRANSITION, IMMUTABLE_FIELD, ORGANIZATION_EXISTS
    }

    private final Reason reason;

    public ConflictException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
