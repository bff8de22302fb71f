package dev.runners.server.it;

import java.time.Duration;
import java.util.List;

import dev.runners.server.metrics.RateLimitMetrics;
import dev.runners.server.support.Http;
import dev.runners.server.support.PrometheusText;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Operations": {@code /metrics} answers without credentials in the Prometheus text format, which
 * is parsed strictly, and its numbers follow what the test does. Requests of one class run one
 * after the other, so the differences between two scrapes are exact.
 */
abstract class MetricsContract extends ApiContract {
    private static final String REQUESTS = "runners_http_requests_total";
    private static final String DURATION = "runners_http_request_duration_seconds";

    @Inject
    RateLimitMetrics rateLimits;

    private PrometheusText scrape() {
        Http.Reply reply = http.get("/metrics");
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("text/plain"), reply::toString);
        return PrometheusText.parse(reply.body());
    }

    @Test
    void theServiceMetersAreThereWithoutCredentialsAndOfTheirTypes() {
        PrometheusText metrics = scrape();
        assertEquals("counter", metrics.family(REQUESTS).type());
        assertEquals("histogram", metrics.family(DURATION).type());
        for (String gauge : List.of("runners_db_pool_connections", "runners_db_pool_pending", "runners_db_pool_max",
                "runners_event_subscribers", "runners_by_status")) {
            assertEquals("gauge", metrics.family(gauge).type(), gauge);
        }
        assertEquals(0.0, metrics.value("runners_event_subscribers").orElseThrow(), "no change feed yet");
        for (String status : List.of("online", "busy", "offline")) {
            assertTrue(metrics.value("runners_by_status", "status", status).isPresent(), status);
        }
    }

    @Test
    void requestsAreCountedAndTimedPerOperationAndStatusClass() {
        Org org = organization();
        PrometheusText before = scrape();
        read(RUNNERS, org.read());
        read(RUNNERS, org.read());
        assertEquals(401, get(RUNNERS, "rk_notAKeyOfAnyoneAtAll0123456789abcdef").status());
        assertEquals(404, get(RUNNERS + "/999999", org.read()).status());
        assertEquals(404, http.get("/no/such/path").status());
        PrometheusText after = scrape();

        assertEquals(2, delta(before, after, REQUESTS, "operation", "listRunners", "status_class", "2xx"));
        assertEquals(1, delta(before, after, REQUESTS, "operation", "listRunners", "status_class", "4xx"));
        assertEquals(1, delta(before, after, REQUESTS, "operation", "getRunner", "status_class", "4xx"));
        assertEquals(1, delta(before, after, REQUESTS, "operation", "unmatched", "status_class", "4xx"));
        assertEquals(1, delta(before, after, REQUESTS, "operation", "getMetrics", "status_class", "2xx"),
                "the first scrape is counted by the second");
        assertEquals(2, delta(before, after, DURATION + "_count", "operation", "listRunners", "status_class", "2xx"));
        assertEquals(2, delta(before, after, DURATION + "_bucket", "operation", "listRunners", "status_class", "2xx",
                "le", "+Inf"));
        assertTrue(after.value(DURATION + "_sum", "operation", "listRunners", "status_class", "2xx").orElseThrow() > 0);
    }

    @Test
    void rateLimitRefusalsAreCountedPerBucket() {
        PrometheusText before = scrape();
        rateLimits.rateLimited("metrics-test");
        rateLimits.rateLimited("metrics-test");
        PrometheusText after = scrape();
        assertEquals("counter", after.family("runners_rate_limited_total").type());
        assertEquals(2, delta(before, after, "runners_rate_limited_total", "bucket", "metrics-test"));
    }

    @Test
    void connectionPoolUseIsReported() {
        read(RUNNERS, organization().read());
        PrometheusText metrics = scrape();
        double max = metrics.value("runners_db_pool_max").orElseThrow();
        double active = metrics.value("runners_db_pool_connections", "state", "active").orElseThrow();
        double idle = metrics.value("runners_db_pool_connections", "state", "idle").orElseThrow();
        assertEquals(16.0, max, "db.connection.maximumPoolSize");
        assertTrue(active >= 0 && idle >= 0 && active + idle >= 1 && active + idle <= max, active + " + " + idle);
        assertTrue(metrics.value("runners_db_pool_pending").orElseThrow() >= 0);
    }

    @Test
    void runnersPerStatusAreCountedAcrossOrganizationsAtMostEvery15Seconds() {
        clock.advance(Duration.ofSeconds(16));
        PrometheusText before = scrape();

        Org first = organization();
        Org second = organization();
        fx.runner(first.write(), "a", List.of(), 5);
        fx.runner(second.write(), "b", List.of(), 5);
        onlineRunner(second.write(), "c", List.of(), 5);
        PrometheusText cached = scrape();
        assertEquals(0, delta(before, cached, "runners_by_status", "status", "offline"), "counted again within 15 s");
        assertEquals(0, delta(before, cached, "runners_by_status", "status", "online"), "counted again within 15 s");

        clock.advance(Duration.ofSeconds(16));
        PrometheusText fresh = scrape();
        assertEquals(2, delta(before, fresh, "runners_by_status", "status", "offline"));
        assertEquals(1, delta(before, fresh, "runners_by_status", "status", "online"));
        assertEquals(0, delta(before, fresh, "runners_by_status", "status", "busy"));
    }

    private static long delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return Math.round(after.valueOrZero(name, labels) - before.valueOrZero(name, labels));
    }
}
