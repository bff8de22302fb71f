package dev.runners.server.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.runners.api.InvalidInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A body's bytes become the text a strict UTF-8 decoder makes of them (after a byte order mark), or are refused as it refuses them. */
class JsonBodyReaderUtf8Test {

    @Property(tries = 5000)
    void aBodyIsDecodedAsAStrictDecoderDecodesIt(@ForAll("bodies") byte[] bytes) {
        assertEquals(strict(bytes), decoded(bytes));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<Byte> ascii = Arbitraries.bytes().between((byte) 0, (byte) 0x7F);
        Arbitrary<Byte> any = Arbitraries.bytes();
        Arbitrary<Byte> mark = Arbitraries.of((byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 'a');
        return Arbitraries.oneOf(
                ascii.array(byte[].class).ofMaxSize(12),
                Arbitraries.frequencyOf(Tuple.of(8, ascii), Tuple.of(1, any))
                        .array(byte[].class).ofMaxSize(12),
                mark.array(byte[].class).ofMaxSize(6),
                Arbitraries.strings().ofMaxLength(6).map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.strings().ofMaxLength(6).map(s -> ("\uFEFF" + s).getBytes(StandardCharsets.UTF_8)));
    }

    private static String decoded(byte[] bytes) {
        try {
            return JsonBodyReader.utf8(bytes);
        } catch (InvalidInputException e) {
            return "refused";
        }
    }

    private static String strict(byte[] bytes) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF
                ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
                    .toString();
        } catch (CharacterCodingException e) {
            return "refused";
        }
    }
}
