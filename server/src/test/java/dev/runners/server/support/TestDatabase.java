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

    private Map<String, String> properties = Map.of();

    /** Creates the database and returns its JDBC url, username and password settings. */
    protected abstract Map<String, String> create(String testClass) throws Exception;

    protected abstract void drop() throws Exception;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Map<String, String> settings = new HashMap<>(create(context.getRequiredTestClass().getSimpleName()));
        settings.put("runners.admin-token", ADMIN_TOKEN);
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
