package dev.runners.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * A Server-Sent Events client of the change feed: opens {@code GET /api/v1/runners/events} with
 * {@code Accept: text/event-stream}, checks the answer against the contract, and parses every frame
 * ({@code id}, {@code event}, {@code data}, the data checked against the contract's Event) on a
 * thread of its own; comment lines are counted. A refused stream's answer is read as every other
 * answer ({@link CheckedResponse}).
 */
public final class EventStream implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One frame: its id and event lines, and the data parsed as JSON. */
    public record Frame(long id, String event, JsonObject data) {
    }

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final Thread reader;
    private volatile Throwable failure;

    private EventStream(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** Opens the stream; {@code headers} are name/value pairs. Returns once the status line and headers arrived. */
    public static EventStream open(URI base, String pathAndQuery, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + pathAndQuery))
                .header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new EventStream(response);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("opening " + pathAndQuery + " failed: " + e, e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** For a refused stream: the whole (problem) body, checked against the contract. */
    public Http.Reply refusal() {
        try {
            return new Http.Reply("GET", response.uri().getPath(), CheckedResponse.read("GET", response));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        if (response.statusCode() != 200) {
            return;
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            Long id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            // the body of a stream is open-ended: its status and headers are checked, with its first line
            ContractValidator.check("GET", response.uri(), 200, response.headers(), ": the first line\n");
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (event != null) {
                        checkData(id, data.toString());
                        try (var json = Json.createReader(new StringReader(data.toString()))) {
                            frames.add(new Frame(id == null ? -1 : id, event, json.readObject()));
                        }
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                } else {
                    throw new AssertionError("not an SSE line: " + line);
                }
            }
        } catch (IOException closed) {
            // closed by the test
        } catch (Throwable e) {
            failure = e;
        }
    }

    /**
     * The contract describes a stream's body as text; each event's data is the Event of the long
     * poll, so it is checked as a long poll's answer that carries this one event.
     */
    private void checkData(Long id, String data) {
        Map<String, List<String>> headers = new HashMap<>(response.headers().map());
        headers.keySet().removeIf(name -> name.equalsIgnoreCase("Content-Type"));
        headers.put("Content-Type", List.of("application/json"));
        ContractValidator.check("GET", response.uri(), 200, HttpHeaders.of(headers, (name, value) -> true),
                "{\"events\":[" + data + "],\"version\":" + id + "}");
    }

    /** The next frame, or null when none came within {@code timeout}. */
    public Frame next(Duration timeout) throws InterruptedException {
        if (failure != null) {
            throw new AssertionError("the stream broke", failure);
        }
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Frames until {@code count} arrived or {@code timeout} passed. */
    public List<Frame> take(int count, Duration timeout) throws InterruptedException {
        List<Frame> taken = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (taken.size() < count) {
            long left = deadline - System.nanoTime();
            Frame frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (frame == null) {
                break;
            }
            taken.add(frame);
        }
        if (failure != null) {
            throw new AssertionError("the stream broke", failure);
        }
        return taken;
    }

    public int comments() {
        return comments.get();
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing anyway
        }
        reader.interrupt();
    }
}
