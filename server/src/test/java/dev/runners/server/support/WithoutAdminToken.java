package dev.runners.server.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the server with no admin token configured: runs after the database extension (which
 * sets one) and before the container starts. The database extension clears the rest afterwards.
 */
public final class WithoutAdminToken implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        System.clearProperty("runners.admin-token");
    }
}
