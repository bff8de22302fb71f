package dev.runners.server.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.runners.api.ApiException;
import dev.runners.api.ErrorCode;
import dev.runners.api.InvalidInputException;
import dev.runners.domain.Violation;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonLocation;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Request;
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
    public static final String UNREADABLE = "the request body could not be read";
    private static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(Map.of());
    /** Made once: Json.createParser looks the provider up through the ServiceLoader on every call. */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

    /** The request being read (a per-request proxy): a PATCH also takes application/merge-patch+json. */
    @Context
    private Request request;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonObject.class;
    }

    @Override
    public JsonObject readFrom(Class<JsonObject> type, Type genericType, Annotation[] annotations,
                               MediaType mediaType, MultivaluedMap<String, String> headers, InputStream entity)
            throws IOException {
        if (mediaType == null || !(isJson(mediaType) || isMergePatch(mediaType))) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        }
        String charset = mediaType.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the request body must be UTF-8 JSON");
        }
        return readObject(entity, headers.getFirst(HttpHeaders.CONTENT_LENGTH));
    }

    /**
     * A request body of UTF-8 JSON (its media type already accepted) as one JSON object, with every
     * rule above; {@code contentLength} is the Content-Length header as sent, or null.
     *
     * @throws InvalidInputException MALFORMED_JSON
     * @throws ApiException PAYLOAD_TOO_LARGE
     */
    public static JsonObject readObject(InputStream entity, String contentLength) {
        if (contentLength != null && declaredTooLarge(contentLength)) {
            throw tooLarge();
        }
        String text = utf8(read(entity));
        if (text.isBlank()) {
            throw malformed("the request body is empty; send a JSON object");
        }
        try {
            return parse(text);
        } catch (InvalidInputException e) {
            throw e;
        } catch (JsonParsingException e) {
            throw malformed(syntaxError(text, e.getLocation()));
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
    static String utf8(byte[] bytes) {
        int start = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF
                ? 3 : 0;
        if (ascii(bytes, start)) {
            // ASCII is UTF-8 as it stands: a strict decoder's setup was most of the cost of an agent's small body
            return new String(bytes, start, bytes.length - start, StandardCharsets.US_ASCII);
        }
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

    private static boolean ascii(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The text, read in one pass: a single JSON object, no key twice in one object (refused rather
     * than silently resolved), nothing after it. Nesting is followed on a stack of its own, not on
     * the thread's. Syntax errors surface as the parser's JsonParsingException.
     */
    private static JsonObject parse(String text) {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                throw malformed("the request body must be a JSON object");
            }
            Deque<Open> open = new ArrayDeque<>();
            open.push(Open.object());
            JsonObject body = null;
            while (body == null) {
                JsonParser.Event event = parser.next();
                switch (event) {
                    case START_OBJECT -> open.push(Open.object());
                    case START_ARRAY -> open.push(Open.array());
                    case KEY_NAME -> {
                        if (!open.peek().key(parser.getString())) {
                            throw malformed("the request body has the same key twice in one object "
                                    + position(text, parser.getLocation()));
                        }
                    }
                    case END_OBJECT, END_ARRAY -> {
                        JsonValue done = open.pop().build();
                        if (open.isEmpty()) {
                            body = (JsonObject) done;
                        } else {
                            open.peek().add(done);
                        }
                    }
                    default -> open.peek().add(parser.getValue());
                }
            }
            boolean more;
            try {
                more = parser.hasNext();
            } catch (JsonParsingException e) {
                more = true;
            }
            if (more) {
                throw malformed("the request body must hold one JSON object and nothing after it");
            }
            return body;
        }
    }

    /** An object or array being read: its builder, and an object's keys so far and the key of its next value. */
    private static final class Open {
        private final JsonObjectBuilder object;
        private final JsonArrayBuilder array;
        private final Set<String> keys;
        private String key;

        private Open(JsonObjectBuilder object, JsonArrayBuilder array) {
            this.object = object;
            this.array = array;
            this.keys = object == null ? null : new HashSet<>();
        }

        static Open object() {
            return new Open(BUILDERS.createObjectBuilder(), null);
        }

        static Open array() {
            return new Open(null, BUILDERS.createArrayBuilder());
        }

        /** False when the object already has this key. */
        boolean key(String name) {
            key = name;
            return keys.add(name);
        }

        void add(JsonValue value) {
            if (object != null) {
                object.add(key, value);
            } else {
                array.add(value);
            }
        }

        JsonValue build() {
            return object != null ? object.build() : array.build();
        }
    }

    /** Where the text stops being JSON, in the words of the contract: line and column, nothing else. */
    private static String syntaxError(String text, JsonLocation location) {
        if (location == null || location.getStreamOffset() < 0 || location.getStreamOffset() >= text.length()) {
            return "the request body ends before its JSON is complete " + position(text, null);
        }
        return "the request body is not well-formed JSON " + position(text, location);
    }

    /** "(line L, column C)", 1-based; the end of the text when no location is known. */
    private static String position(String text, JsonLocation location) {
        long line;
        long column;
        if (location == null) {
            line = text.lines().count();
            int lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
            column = text.length() - lastBreak;
            if (text.endsWith("\n") || text.endsWith("\r")) {
                line++;
                column = 1;
            }
        } else {
            line = location.getLineNumber();
            column = location.getColumnNumber();
        }
        return "(line " + line + ", column " + column + ")";
    }

    private static boolean isJson(MediaType mediaType) {
        return "application".equalsIgnoreCase(mediaType.getType())
                && "json".equalsIgnoreCase(mediaType.getSubtype());
    }

    /** JSON Merge Patch (RFC 7396), for PATCH only: its bodies are JSON objects read the same way. */
    private boolean isMergePatch(MediaType mediaType) {
        return "application".equalsIgnoreCase(mediaType.getType())
                && "merge-patch+json".equalsIgnoreCase(mediaType.getSubtype())
                && request != null && "PATCH".equals(request.getMethod());
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
