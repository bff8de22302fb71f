package dev.runners.domain;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeyTest {
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");

    private static ApiKey key(Set<Scope> scopes) {
        return new ApiKey(1, 1, "key", "rk_abc", scopes, NOW, null, null, null);
    }

    @Test
    void aWriteKeyGrantsReadsAndWritesAReadKeyOnlyReads() {
        ApiKey write = key(Set.of(Scope.RUNNERS_WRITE));
        ApiKey read = key(Set.of(Scope.RUNNERS_READ));
        ApiKey both = key(Set.of(Scope.RUNNERS_READ, Scope.RUNNERS_WRITE));
        assertTrue(write.grants(Scope.RUNNERS_READ));
        assertTrue(write.grants(Scope.RUNNERS_WRITE));
        assertTrue(read.grants(Scope.RUNNERS_READ));
        assertFalse(read.grants(Scope.RUNNERS_WRITE));
        assertTrue(both.grants(Scope.RUNNERS_WRITE));
    }

    @Test
    void aKeyWithoutScopesGrantsNothing() {
        ApiKey none = key(Set.of());
        assertFalse(none.grants(Scope.RUNNERS_READ));
        assertFalse(none.grants(Scope.RUNNERS_WRITE));
    }
}
