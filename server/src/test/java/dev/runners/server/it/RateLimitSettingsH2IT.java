package dev.runners.server.it;

import java.time.Duration;
import java.util.List;

import dev.runners.server.support.Http;
import dev.runners.server.support.OnEmbeddedDatabase;
import dev.runners.server.support.ServerSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.runners.server.support.ApiAssertions.assertUnauthorized;
import static dev.runners.server.support.Fixtures.bearer;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The rate limits configured: reads switched off, one write per second, three failed
 * authentications per minute, and the client address taken from X-Forwarded-For. The server's
 * clock stands still. The admin token, too, makes one write per second (bursts of two): a test
 * creates one organization and one key.
 * Runs once, on the embedded database: the settings configure in-memory buckets and the reading of
 * X-Forwarded-For, neither of which the store takes part in.
 */
@ServerSettings({
        "runners.rate-limit.reads-per-second=0",
        "runners.rate-limit.writes-per-second=1",
        "runners.rate-limit.auth-failures-per-minute=3",
        "runners.trust-forwarded-for=true"})
@OnEmbeddedDatabase
class RateLimitSettingsH2IT extends ApiContract {

    @BeforeEach
    void stopTheClock() {
        clock.stop();
        clock.advance(Duration.ofSeconds(61));
    }

    @Test
    void aRateOfZeroSwitchesTheBucketOffAndTheOtherKeepsItsOwn() {
        String slug = fx.organization();
        String key = fx.key(slug, "runners:write");
        long id = fx.runner(key, "r", List.of(), 5);

        for (int i = 0; i < 250; i++) {
            Http.Reply read = get(RUNNERS + "/" + id, key);
            assertEquals(200, read.status(), read::toString);
            assertFalse(read.header("RateLimit-Limit").isPresent(), read::toString);
        }

        Http.Reply second = heartbeat(key, id);
        assertEquals(200, second.status(), second::toString);
        assertEquals(List.of("2", "0", "2"), List.of(second.header("RateLimit-Limit").orElse(""),
                second.header("RateLimit-Remaining").orElse(""), second.header("RateLimit-Reset").orElse("")));
        Http.Reply refused = heartbeat(key, id);
        assertProblem(refused, 429, "RATE_LIMITED");
        assertEquals("1", refused.header("Retry-After").orElse(null), refused::toString);

        clock.advance(Duration.ofSeconds(1));
        assertEquals(200, heartbeat(key, id).status());
        assertEquals(429, heartbeat(key, id).status());
    }

    @Test
    void theFirstForwardedForEntryIsTheClientWhenTrusted() {
        String slug = fx.organization();
        String key = fx.key(slug, "runners:read");
        String unknown = "rk_" + "B".repeat(40);
        for (int i = 0; i < 3; i++) {
            assertUnauthorized(http.get(RUNNERS, "Authorization", "Bearer " + unknown,
                    "X-Forwarded-For", "203.0.113.7, 10.0.0.1"), "INVALID_API_KEY");
        }

        Http.Reply lockedOut = http.get(RUNNERS, "Authorization", "Bearer " + key, "X-Forwarded-For", "203.0.113.7");
        assertProblem(lockedOut, 429, "RATE_LIMITED");
        assertEquals("60", lockedOut.header("Retry-After").orElse(null), lockedOut::toString);
        assertAll(
                () -> assertEquals(200, http.get(RUNNERS, "Authorization", "Bearer " + key,
                        "X-Forwarded-For", "198.51.100.1").status(), "another client behind the proxy"),
                () -> assertEquals(200, http.get(RUNNERS, "Authorization", "Bearer " + key,
                        "X-Forwarded-For", "10.0.0.1").status(), "only the first entry names the client"),
                () -> assertEquals(200, get(RUNNERS, key).status(), "without the header, the socket's peer"));
    }

    private Http.Reply heartbeat(String key, long id) {
        return http.post(RUNNERS + "/" + id + "/heartbeat", "{\"status\":\"online\"}", bearer(key));
    }
}
