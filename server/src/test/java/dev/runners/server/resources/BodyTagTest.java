package dev.runners.server.resources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BodyTagTest {
    @Test
    void isMurmurHash3OfTheBody() {
        // the published value of MurmurHash3_x64_128 with seed 0 for this sentence
        byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(new long[] {0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L}, BodyTag.hash(fox));
        assertArrayEquals(new long[] {0, 0}, BodyTag.hash(new byte[0]));
    }

    @Test
    void changesWhenAnyByteOfTheBodyChanges() {
        byte[] body = "{\"runner\":{\"id\":1,\"status\":\"online\",\"name\":\"runner-1\"}}".getBytes(StandardCharsets.UTF_8);
        Set<String> tags = new HashSet<>();
        tags.add(BodyTag.of(body));
        for (int i = 0; i < body.length; i++) {
            byte[] changed = body.clone();
            changed[i] ^= 1;
            tags.add(BodyTag.of(changed));
        }
        assertEquals(body.length + 1, tags.size());
        for (int length = 0; length < 40; length++) {
            assertNotEquals(BodyTag.of(new byte[length]), BodyTag.of(new byte[length + 1]));
        }
        assertEquals(22, BodyTag.of(body).length());
    }
}
