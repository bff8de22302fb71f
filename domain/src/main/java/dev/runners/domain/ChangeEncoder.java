package dev.runners.domain;

/** Writes a change, once given its version, as the Event JSON that subscribers receive. */
@FunctionalInterface
public interface ChangeEncoder {
    String encode(long version, Change change);
}
