package dev.runners.persistence;

/** The database cannot be reached (or is not migrated yet); the request may be retried later. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
