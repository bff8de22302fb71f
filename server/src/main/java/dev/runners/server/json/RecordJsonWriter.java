package dev.runners.server.json;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import dev.runners.api.EventList;
import dev.runners.api.PodEnvelope;
import dev.runners.api.PodPage;
import dev.runners.api.RunnerEnvelope;
import dev.runners.api.RunnerList;
import dev.runners.domain.FeedEvent;
import jakarta.inject.Singleton;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

/**
 * Writes the bodies of the runner and pod operations, the service's hot path, straight to UTF-8
 * bytes. The JSON is what JSON-B writes for the same records under {@link JsonbConfiguration}
 * (snake_case names, {@link JsonbPropertyOrder}, nulls written only under {@link JsonbNillable},
 * instants in ISO-8601), without JSON-B's per-call machinery, which took about 40% of the CPU of a
 * long list. The change feed's events are written here too, once, when they are stored
 * ({@link #toJson}), and a long poll's answer carries them as stored. Every other body (admin,
 * problems) is still written by JSON-B.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
@Singleton
public class RecordJsonWriter implements MessageBodyWriter<Record> {
    private static final Set<Class<?>> WRITTEN = Set.of(RunnerList.class, RunnerEnvelope.class, PodPage.class,
            PodEnvelope.class, EventList.class);
    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return Shape.of(type);
        }
    };
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** The instants of years 0000 to 9999, which Instant.toString writes with four digits and no sign. */
    private static final long FIRST_FOUR_DIGIT_YEAR_SECOND = -62_167_219_200L;
    private static final long LAST_FOUR_DIGIT_YEAR_SECOND = 253_402_300_799L;
    private static final int SECONDS_PER_DAY = 86_400;

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return writes(type);
    }

    @Override
    public void writeTo(Record value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream entity) throws IOException {
        Bytes out = new Bytes();
        write(out, value);
        entity.write(out.bytes, 0, out.length);
    }

    /** Whether this writer writes the bodies of {@code type}. */
    public static boolean writes(Class<?> type) {
        return WRITTEN.contains(type);
    }

    /** The bytes this writer sends for {@code value}. */
    public static byte[] toBytes(Record value) {
        Bytes out = new Bytes();
        write(out, value);
        return Arrays.copyOf(out.bytes, out.length);
    }

    /** The JSON of {@code value}, as this writer sends it. */
    public static String toJson(Object value) {
        Bytes out = new Bytes();
        write(out, value);
        return new String(out.bytes, 0, out.length, StandardCharsets.UTF_8);
    }

    private static void write(Bytes out, Object value) {
        switch (value) {
            case null -> out.append(NULL);
            case String s -> string(out, s);
            case Long n -> out.number(n);
            case Integer n -> out.number(n);
            case Boolean b -> out.ascii(b.toString());
            case Instant instant -> instant(out, instant);
            // an event as stored is already its Event JSON (written by this writer when it was stored)
            case FeedEvent stored -> out.append(stored.json().getBytes(StandardCharsets.UTF_8));
            case Record record -> object(out, record);
            case Collection<?> items -> {
                out.append('[');
                boolean first = true;
                for (Object item : items) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(out, item);
                }
                out.append(']');
            }
            default -> throw new IllegalStateException("no JSON form for " + value.getClass().getName());
        }
    }

    private static void object(Bytes out, Record record) {
        Shape shape = SHAPES.get(record.getClass());
        out.append('{');
        boolean first = true;
        for (Property property : shape.properties) {
            Object value = property.read(record);
            if (value == null && !shape.nillable) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(property.name);
            write(out, value);
        }
        out.append('}');
    }

    /**
     * An instant as a string of exactly what {@link Instant#toString()} writes (ISO-8601 in UTC, the
     * fraction in groups of three digits, none when zero), without its formatter: writing every
     * runner's and pod's times through it cost ~2.5% of a pod report. Years outside 0000-9999 go
     * through it still.
     */
    private static void instant(Bytes out, Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_FOUR_DIGIT_YEAR_SECOND || seconds > LAST_FOUR_DIGIT_YEAR_SECOND) {
            string(out, instant.toString());
            return;
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int second = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        out.ensure(32);
        out.append('"');
        out.digits(date.getYear(), 4);
        out.append('-');
        out.digits(date.getMonthValue(), 2);
        out.append('-');
        out.digits(date.getDayOfMonth(), 2);
        out.append('T');
        out.digits(second / 3600, 2);
        out.append(':');
        out.digits(second / 60 % 60, 2);
        out.append(':');
        out.digits(second % 60, 2);
        int nano = instant.getNano();
        if (nano != 0) {
            out.append('.');
            if (nano % 1_000_000 == 0) {
                out.digits(nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                out.digits(nano / 1000, 6);
            } else {
                out.digits(nano, 9);
            }
        }
        out.append('Z');
        out.append('"');
    }

    /** A JSON string literal: quote, backslash and control characters escaped (RFC 8259). */
    private static void string(Bytes out, String s) {
        out.ensure(s.length() * 3 + 2);
        byte[] b = out.bytes;
        int at = out.length;
        b[at++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[at++] = (byte) c;
            } else if (c == '"' || c == '\\') {
                out.length = at;
                out.ensure(2 + (s.length() - i) * 6 + 1);
                b = out.bytes;
                b[at++] = '\\';
                b[at++] = (byte) c;
            } else if (c < 0x20) {
                out.length = at;
                out.ensure(6 + (s.length() - i) * 6 + 1);
                b = out.bytes;
                at = escape(b, at, c);
            } else if (c < 0x800) {
                b[at++] = (byte) (0xC0 | (c >> 6));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[at++] = (byte) (0xF0 | (cp >> 18));
                b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // a lone surrogate has no UTF-8 form; stored text never holds one (bodies are strict UTF-8)
                out.length = at;
                out.ensure(6 + (s.length() - i) * 6 + 1);
                b = out.bytes;
                at = escape(b, at, c);
            } else {
                b[at++] = (byte) (0xE0 | (c >> 12));
                b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[at++] = '"';
        out.length = at;
    }

    private static int escape(byte[] b, int at, char c) {
        b[at++] = '\\';
        switch (c) {
            case '\b' -> b[at++] = 'b';
            case '\f' -> b[at++] = 'f';
            case '\n' -> b[at++] = 'n';
            case '\r' -> b[at++] = 'r';
            case '\t' -> b[at++] = 't';
            default -> {
                b[at++] = 'u';
                b[at++] = HEX[(c >> 12) & 0xF];
                b[at++] = HEX[(c >> 8) & 0xF];
                b[at++] = HEX[(c >> 4) & 0xF];
                b[at++] = HEX[c & 0xF];
            }
        }
        return at;
    }

    /** A record's JSON properties, in the order JSON-B writes them. */
    private record Shape(List<Property> properties, boolean nillable) {
        static Shape of(Class<?> type) {
            List<RecordComponent> components = new ArrayList<>(Arrays.asList(type.getRecordComponents()));
            List<Property> properties = new ArrayList<>();
            JsonbPropertyOrder order = type.getAnnotation(JsonbPropertyOrder.class);
            for (String name : order == null ? new String[0] : order.value()) {
                components.stream().filter(c -> c.getName().equals(name)).findFirst().ifPresent(c -> {
                    properties.add(Property.of(c));
                    components.remove(c);
                });
            }
            // JSON-B writes the properties that the order leaves out after it, by name
            components.stream().sorted((a, b) -> a.getName().compareTo(b.getName()))
                    .forEach(c -> properties.add(Property.of(c)));
            return new Shape(List.copyOf(properties), type.isAnnotationPresent(JsonbNillable.class));
        }
    }

    /** One record component: its {@code "snake_case":} prefix and its accessor. */
    private record Property(byte[] name, MethodHandle accessor) {
        static Property of(RecordComponent component) {
            try {
                MethodHandle accessor = MethodHandles.publicLookup().unreflect(component.getAccessor())
                        .asType(java.lang.invoke.MethodType.methodType(Object.class, Record.class));
                return new Property(("\"" + snakeCase(component.getName()) + "\":").getBytes(StandardCharsets.UTF_8),
                        accessor);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + component, e);
            }
        }

        Object read(Record record) {
            try {
                return accessor.invokeExact(record);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot read " + record.getClass().getSimpleName(), e);
            }
        }

        /** As JSON-B's LOWER_CASE_WITH_UNDERSCORES: podCount becomes pod_count. */
        private static String snakeCase(String name) {
            StringBuilder snake = new StringBuilder(name.length() + 4);
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (Character.isUpperCase(c)) {
                    if (i > 0) {
                        snake.append('_');
                    }
                    snake.append(Character.toLowerCase(c));
                } else {
                    snake.append(c);
                }
            }
            return snake.toString();
        }
    }

    /** A growable byte buffer. */
    private static final class Bytes {
        private byte[] bytes = new byte[1024];
        private int length;

        void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        void append(byte[] raw) {
            ensure(raw.length);
            System.arraycopy(raw, 0, bytes, length, raw.length);
            length += raw.length;
        }

        void append(char c) {
            ensure(1);
            bytes[length++] = (byte) c;
        }

        void ascii(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                bytes[length++] = (byte) s.charAt(i);
            }
        }

        void number(long n) {
            ascii(Long.toString(n));
        }

        /** {@code n} (not negative) in exactly {@code width} decimal digits, leading zeros included. */
        void digits(int n, int width) {
            ensure(width);
            for (int i = length + width - 1; i >= length; i--) {
                bytes[i] = (byte) ('0' + n % 10);
                n /= 10;
            }
            length += width;
        }
    }
}
