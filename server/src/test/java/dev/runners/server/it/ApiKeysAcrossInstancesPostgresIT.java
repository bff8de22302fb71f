package dev.runners.server.it;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.OnPostgres;
import dev.runners.server.support.ServiceProcess;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.runners.server.support.ApiAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two instances on one PostgreSQL database: the server of the test and the service's jar started
 * as a second process. Each caches the keys it has seen; what one instance learns about a key
 * (revoked, expired) must hold on the other within the contract's second.
 */
@OnPostgres
class ApiKeysAcrossInstancesPostgresIT extends ApiContract {
    private static final Duration REVOCATION_BOUND = Duration.ofSeconds(1);
    private static ServiceProcess second;
    private static Http other;

    @BeforeAll
    static void startTheSecondInstance() throws Exception {
        second = ServiceProcess.startReady(Path.of("target", "instances", "keys-" + UUID.randomUUID()), Map.of(
                "DB_CONNECTION_URL", System.getProperty("db.connection.url"),
                "DB_CONNECTION_USERNAME", System.getProperty("db.connection.username"),
                "DB_CONNECTION_PASSWORD", System.getProperty("db.connection.password")));
        other = second.http();
    }

    @AfterAll
    static void stopTheSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aKeyRevokedOnOneInstanceIsRefusedByTheOtherWithinOneSecond() throws InterruptedException {
        String slug = fx.organization();
        JsonObject created = admin.key(slug, "{\"name\":\"doomed\",\"scopes\":[\"runners:read\"]}");
        String secret = created.getString("secret");
        long keyId = created.getJsonObject("api_key").getJsonNumber("id").longValue();
        String lasting = fx.key(slug, "runners:read");
        // the other instance has the key cached when it is revoked here
        assertEquals(200, other.get(RUNNERS, Fixtures.bearer(secret)).status());
        assertEquals(200, other.get(RUNNERS, Fixtures.bearer(secret)).status());

        assertEquals(204, admin.revokeKey(slug, keyId, "Authorization", Fixtures.ADMIN).status());
        assertUnauthorized(get(RUNNERS, secret), "INVALID_API_KEY");
        Thread.sleep(REVOCATION_BOUND.toMillis());

        assertUnauthorized(other.get(RUNNERS, Fixtures.bearer(secret)), "INVALID_API_KEY");
        assertUnauthorized(other.get(RUNNERS, "X-API-Key", secret), "INVALID_API_KEY");
        assertEquals(200, other.get(RUNNERS, Fixtures.bearer(lasting)).status(), "the organization's other key works");
    }

    @Test
    void aKeyIsRefusedByTheOtherInstanceAsSoonAsItExpires() throws InterruptedException {
        String slug = fx.organization();
        // the second instance runs on the real clock, as does this server's test clock until a test moves it;
        // 5 s leave room for the three requests before the expiry on a busy machine (2 s did not, at load 20)
        Instant expiresAt = Instant.now().plusSeconds(5);
        String secret = admin.key(slug, "{\"name\":\"short-lived\",\"scopes\":[\"runners:write\"],\"expires_at\":\""
                + expiresAt + "\"}").getString("secret");
        long id = fx.runner(secret, "r", List.of(), 5);
        assertEquals(200, other.get(RUNNERS + "/" + id, Fixtures.bearer(secret)).status());

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) + 50);

        assertUnauthorized(other.get(RUNNERS + "/" + id, Fixtures.bearer(secret)), "API_KEY_EXPIRED");
        assertUnauthorized(get(RUNNERS + "/" + id, secret), "API_KEY_EXPIRED");
    }
}
