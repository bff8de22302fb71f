package dev.runners.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;

import dev.runners.api.ApiException;
import dev.runners.api.ErrorCode;
import dev.runners.domain.InvalidInputException;
import dev.runners.domain.Violation;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.json.Json;
import jakarta.json.JsonConfig;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

/**
 * Reads every request body: application/json only, at most 1 MiB (a larger declared length is
 * refused before a byte is read; a longer stream is cut off at the limit, so no more than 1 MiB
 * is ever held), strict UTF-8, well-formed, one JSON object without duplicate keys and nothing
 * after it. Whatever the parser refuses is MALFORMED_JSON, never a server failure.
 */
@Provider
@Consumes(MediaType.WILDCARD)
@Priority(1)
@Singleton
public class JsonBodyReader implements MessageBodyReader<JsonObject> {
    static final long MAX_BODY_BYTES = 1024 * 1024;
    /** The detail when the body's framing breaks before it is read whole. */
    static final String UNREADABLE = "the request body could not be read";
    /** Duplicate keys are refused (KeyStrategy.NONE) rather than silently resolved. */
    private static final JsonReaderFactory READERS =
            Json.createReaderFactory(Map.of(JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE));
    /** Made once: Json.createParser looks the provider up through the ServiceLoader on every call. */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonObject.class;
    }

    @Override
    public JsonObject readFrom(Class<JsonObject> type, Type genericType, Annotation[] annotations,
                               MediaType mediaType, MultivaluedMap<String, String> headers, InputStream entity)
            throws IOException {
        if (mediaType == null || !isJson(mediaType)) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        }
        String charset = mediaType.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the request body must be UTF-8 JSON");
        }
        String length = headers.getFirst(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredTooLarge(length)) {
            throw tooLarge();
        }
        String text = utf8(read(entity));
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw malformed("the request body must be a JSON object");
            }
            requireNothingAfterTheObject(text);
            return value.asJsonObject();
        } catch (InvalidInputException e) {
            throw e;
        } catch (JsonParsingException e) {
            throw malformed("the request body is not well-formed JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            // the parser's other refusals, such as nesting deeper than it allows
            throw malformed(ErrorCode.MALFORMED_JSON.detail());
        }
    }

    /** At most 1 MiB; a broken transfer encoding is a malformed body, not a server failure. */
    private static byte[] read(InputStream entity) {
        try {
            return new BoundedInputStream(entity, MAX_BODY_BYTES).readAllBytes();
        } catch (BoundedInputStream.LimitExceeded e) {
            throw tooLarge();
        } catch (IOException | RuntimeException e) {
            throw malformed(UNREADABLE);
        }
    }

    /** Strict UTF-8 (RFC 8259); a leading byte order mark is ignored, as the RFC allows. */
    private static String utf8(byte[] bytes) {
        int start = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF
                ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("the request body is not valid UTF-8");
        }
    }

    /** The reader stops after the first value; a second pass makes sure nothing follows it. */
    private static void requireNothingAfterTheObject(String text) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            parser.next();
            parser.skipObject();
            if (parser.hasNext()) {
                throw malformed("the request body must hold one JSON object and nothing after it");
            }
        }
    }

    private static boolean isJson(MediaType mediaType) {
        return "application".equalsIgnoreCase(mediaType.getType())
                && "json".equalsIgnoreCase(mediaType.getSubtype());
    }

    private static boolean declaredTooLarge(String length) {
        try {
            return Long.parseLong(length.strip()) > MAX_BODY_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE);
    }

    private static InvalidInputException malformed(String message) {
        return new InvalidInputException(InvalidInputException.Reason.MALFORMED_JSON,
                List.of(new Violation("body", message)));
    }
}
