package dev.runners.server.it;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import dev.runners.server.support.OnPostgres;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.runners.server.support.ApiAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances on one PostgreSQL database: the server of the test and the service's jar started
 * as a second process. Each caches the keys it has seen; what one instance learns about a key
 * (revoked, expired) must hold on the other within the contract's second.
 */
@OnPostgres
class ApiKeysAcrossInstancesPostgresIT extends ApiContract {
    private static final Duration REVOCATION_BOUND = Duration.ofSeconds(1);
    private static Process second;
    private static Http other;

    @BeforeAll
    static void startTheSecondInstance() throws Exception {
        Path jar = Path.of("target", "runners-server.jar");
        assertTrue(Files.isRegularFile(jar), "the service's jar is built before the integration tests: " + jar);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "second-instance.log").toFile());
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SERVER_HOST", "127.0.0.1");
        builder.environment().put("DB_CONNECTION_URL", System.getProperty("db.connection.url"));
        builder.environment().put("DB_CONNECTION_USERNAME", System.getProperty("db.connection.username"));
        builder.environment().put("DB_CONNECTION_PASSWORD", System.getProperty("db.connection.password"));
        second = builder.start();
        other = new Http(URI.create("http://127.0.0.1:" + port));
        awaitReady(Instant.now().plusSeconds(60));
    }

    @AfterAll
    static void stopTheSecondInstance() throws InterruptedException {
        if (second != null) {
            second.destroy();
            second.waitFor();
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
        // the second instance runs on the real clock, as does this server's test clock until a test moves it
        Instant expiresAt = Instant.now().plusSeconds(2);
        String secret = admin.key(slug, "{\"name\":\"short-lived\",\"scopes\":[\"runners:write\"],\"expires_at\":\""
                + expiresAt + "\"}").getString("secret");
        long id = fx.runner(secret, "r", List.of(), 5);
        assertEquals(200, other.get(RUNNERS + "/" + id, Fixtures.bearer(secret)).status());

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) + 50);

        assertUnauthorized(other.get(RUNNERS + "/" + id, Fixtures.bearer(secret)), "API_KEY_EXPIRED");
        assertUnauthorized(get(RUNNERS + "/" + id, secret), "API_KEY_EXPIRED");
    }

    private static void awaitReady(Instant deadline) throws InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            if (!second.isAlive()) {
                throw new IllegalStateException("the second instance stopped: see target/second-instance.log");
            }
            try {
                if (other.get("/health/ready").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the second instance was not ready in time: see target/second-instance.log");
    }
}
