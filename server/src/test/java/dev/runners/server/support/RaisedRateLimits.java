package dev.runners.server.support;

import java.util.Map;

import jakarta.enterprise.inject.spi.CDI;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Rate limits far above what a test class sends, so that a class which sends thousands of requests
 * with one key (and hundreds of failed authentications from one address) is never throttled. Set as
 * system properties before {@code @HelidonTest} starts the server, cleared afterwards; registered on a
 * superclass, it runs before the database extension of the subclass.
 */
public final class RaisedRateLimits implements BeforeAllCallback, AfterAllCallback {
    public static final String LIMIT = "100000";
    public static final Map<String, String> SETTINGS = Map.of(
            "runners.rate-limit.reads-per-second", LIMIT,
            "runners.rate-limit.writes-per-second", LIMIT,
            "runners.rate-limit.auth-failures-per-minute", LIMIT);

    private static volatile boolean setBeforeTheServerStarted;

    @Override
    public void beforeAll(ExtensionContext context) {
        setBeforeTheServerStarted = !serverRunning();
        SETTINGS.forEach(System::setProperty);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        SETTINGS.keySet().forEach(System::clearProperty);
    }

    /** Whether the limits were in place when the server read its configuration (it reads it once, at start). */
    public static boolean setBeforeTheServerStarted() {
        return setBeforeTheServerStarted;
    }

    /** The server runs in the test's CDI container. */
    public static boolean serverRunning() {
        try {
            CDI.current();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
