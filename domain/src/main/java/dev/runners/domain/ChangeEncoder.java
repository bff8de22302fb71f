package dev.runners.domain;

/**
 * Writes a change, once given its version, as the Event JSON that subscribers receive. The JSON
 * starts with the version ({@code {"version":N,...}}), so that the rest can be written before the
 * version is known: a writer encodes outside the organization's counter lock, and the store puts
 * the version in front ({@link #withVersion}) once it has taken it.
 */
@FunctionalInterface
public interface ChangeEncoder {
    String VERSION_PREFIX = "{\"version\":";

    String encode(long version, Change change);

    /** The Event JSON of {@code change} after its version: what follows {@code {"version":N,}. */
    default String encodeAfterVersion(Change change) {
        String encoded = encode(0, change);
        String prefix = VERSION_PREFIX + "0,";
        if (!encoded.startsWith(prefix)) {
            throw new IllegalStateException("an event's JSON must start with its version: " + encoded);
        }
        return encoded.substring(prefix.length());
    }

    /** The Event JSON of version {@code version} whose rest is {@code afterVersion}. */
    static String withVersion(long version, String afterVersion) {
        return VERSION_PREFIX + version + "," + afterVersion;
    }
}
