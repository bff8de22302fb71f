package dev.runners.server.json;

import java.time.Instant;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An instant is written as the JSON string of exactly what Instant.toString writes, whatever its fraction or year. */
class RecordJsonWriterInstantTest {

    @Property(tries = 5000)
    void anInstantIsWrittenAsInstantToStringWritesIt(@ForAll("instants") Instant instant) {
        assertEquals("\"" + instant + "\"", RecordJsonWriter.toJson(instant));
    }

    @Provide
    Arbitrary<Instant> instants() {
        // around the years 0000 and 9999 too, where the writer hands on to Instant.toString
        Arbitrary<Long> seconds = Arbitraries.oneOf(
                Arbitraries.longs().between(-62_167_219_300L, 253_402_300_900L),
                Arbitraries.longs().between(-62_167_219_300L, -62_167_219_100L),
                Arbitraries.longs().between(253_402_300_700L, 253_402_300_900L),
                Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()));
        // whole seconds, milliseconds, microseconds (as stored) and nanoseconds
        Arbitrary<Integer> nanos = Arbitraries.oneOf(
                Arbitraries.just(0),
                Arbitraries.integers().between(0, 999).map(n -> n * 1_000_000),
                Arbitraries.integers().between(0, 999_999).map(n -> n * 1000),
                Arbitraries.integers().between(0, 999_999_999));
        return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
    }
}
