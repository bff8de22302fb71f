package dev.runners.domain;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChangeEncoderTest {
    private static final Change DELETED = Change.deleted(42, Instant.parse("2025-01-15T14:30:00Z"));

    @Test
    void theRestWithItsVersionIsTheWholeEvent() {
        ChangeEncoder encoder = (version, change) -> "{\"version\":" + version + ",\"type\":\"" + change.type().wireName()
                + "\",\"runner_id\":" + change.runnerId() + "}";
        String rest = encoder.encodeAfterVersion(DELETED);
        assertEquals("\"type\":\"runner.deleted\",\"runner_id\":42}", rest);
        assertEquals(encoder.encode(1234, DELETED), ChangeEncoder.withVersion(1234, rest));
    }

    @Test
    void anEncodingThatDoesNotStartWithTheVersionIsRefused() {
        ChangeEncoder versionLast = (version, change) -> "{\"type\":\"x\",\"version\":" + version + "}";
        assertThrows(IllegalStateException.class, () -> versionLast.encodeAfterVersion(DELETED));
    }
}
