package dev.runners.domain;

/** The thing asked for does not exist for this caller (another organization's is the same). */
public final class UnknownResourceException extends RuntimeException {
    public UnknownResourceException(String message) {
        super(message, null, false, false);
    }
}
