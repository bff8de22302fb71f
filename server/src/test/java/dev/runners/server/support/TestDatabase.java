package dev.runners.server.support;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives one test class a database of its own and registers the MicroProfile config that points the
 * server at it; runs before {@code @HelidonTest} starts the server.
 */
public abstract class TestDatabase implements BeforeAllCallback, AfterAllCallback {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    /**
     * The suites send far more than SPEC's 100 requests per second with one key, and many refused
     * credentials from one address; only the rate-limit tests run with the shipped limits.
     */
    private static final Map<String, String> GENEROUS_RATE_LIMITS = Map.of(
            "runners.rate-limit.reads-per-second", "1000000",
            "runners.rate-limit.writes-per-second", "1000000",
            "runners.rate-limit.auth-failures-per-minute", "1000000");

    private Map<String, String> properties = Map.of();

    /** Creates the database and returns its JDBC url, username and password settings. */
    protected abstract Map<String, String> create(String testClass) throws Exception;

    protected abstract void drop() throws Exception;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Map<String, String> settings = new HashMap<>(create(context.getRequiredTestClass().getSimpleName()));
        settings.put("runners.admin-token", ADMIN_TOKEN);
        ServerSettings own = context.getRequiredTestClass().getAnnotation(ServerSettings.class);
        if (own == null || !own.shippedRateLimits()) {
            settings.putAll(GENEROUS_RATE_LIMITS);
        }
        if (own != null) {
            for (String entry : own.value()) {
                int equals = entry.indexOf('=');
                settings.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        // system properties outrank microprofile-config.properties, and the container reads them when it starts
        settings.forEach(System::setProperty);
        properties = settings;
    }

    /** The settings that point the service at this database, as MicroProfile config keys. */
    public Map<String, String> settings() {
        return Map.copyOf(properties);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        properties.keySet().forEach(System::clearProperty);
        drop();
    }
}
