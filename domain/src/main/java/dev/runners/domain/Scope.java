package dev.runners.domain;

import java.util.Optional;

/** What an API key may do. Write implies read. */
public enum Scope {
    RUNNERS_READ("runners:read"), RUNNERS_WRITE("runners:write");

    private final String wireName;

    Scope(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean grants(Scope needed) {
        return this == needed || this == RUNNERS_WRITE;
    }

    public static Optional<Scope> fromWire(String value) {
        for (Scope scope : values()) {
            if (scope.wireName.equals(value)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }
}
