package dev.runners.server.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.ServiceProcess;
import dev.runners.server.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tracing switched on: a request has a span and each database statement it runs has one in the same
 * trace. Spans go to the log exporter here (OTLP needs a collector). That it is off unless switched
 * on is checked on the process of {@link ShippedJarH2IT}.
 */
class TracingIT {
    private static final Duration START = Duration.ofSeconds(180);
    /** The log exporter's line: 'name' : traceId spanId KIND [tracer: ...] ... */
    private static final Pattern SPAN = Pattern.compile("LoggingSpanExporter: '([^']+)' : ([0-9a-f]{32}) ([0-9a-f]{16}) (\\w+)");

    private record Span(String name, String trace, String kind) {
    }

    @Test
    void aRequestAndEachOfItsStatementsAreSpansOfOneTraceWhenSwitchedOn() {
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "RUNNERS_ADMIN_TOKEN", TestDatabase.ADMIN_TOKEN,
                "OTEL_SDK_DISABLED", "false",
                "OTEL_TRACES_EXPORTER", "logging")).awaitReady(START)) {
            Fixtures fx = new Fixtures(service.http());
            fx.organization();

            Span request = awaitSpan(service, "POST /api/v1/admin/organizations");
            assertEquals("SERVER", request.kind());
            List<Span> statements = spans(service).stream()
                    .filter(s -> s.trace().equals(request.trace()) && !s.equals(request))
                    .toList();
            assertTrue(statements.stream().anyMatch(s -> s.name().equals("organization-insert")),
                    "the insert's span in the request's trace: " + statements + "\n" + service.output());
        }
    }

    private static Span awaitSpan(ServiceProcess service, String name) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            for (Span span : spans(service)) {
                if (span.name().equals(name)) {
                    return span;
                }
            }
            ServiceProcess.pause(Duration.ofMillis(100));
        }
        throw new AssertionError("no span " + name + ":\n" + service.output());
    }

    private static List<Span> spans(ServiceProcess service) {
        Matcher m = SPAN.matcher(service.output());
        List<Span> spans = new java.util.ArrayList<>();
        while (m.find()) {
            spans.add(new Span(m.group(1), m.group(2), m.group(4)));
        }
        return spans;
    }
}
