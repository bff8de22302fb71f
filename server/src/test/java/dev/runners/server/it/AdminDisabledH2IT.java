package dev.runners.server.it;

import java.util.ArrayList;
import java.util.List;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.OnEmbeddedDatabaseWithoutAdminToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.runners.server.support.ApiAssertions.assertUnauthorized;
import static org.junit.jupiter.api.Assertions.assertAll;

/**
 * A server started without {@code runners.admin-token}: the admin API does not exist.
 * Runs once, on the embedded database: the refusal is a matter of configuration, decided before
 * any statement runs.
 */
@OnEmbeddedDatabaseWithoutAdminToken
class AdminDisabledH2IT extends ApiContract {

    @Test
    void everyAdminPathIsNotFound() {
        List<Executable> checks = new ArrayList<>();
        List<String[]> credentials = List.of(new String[0], new String[] {"Authorization", Fixtures.ADMIN},
                new String[] {"Authorization", "Bearer anything"});
        for (String[] headers : credentials) {
            checks.add(() -> assertProblem(admin.createOrganization("{\"slug\":\"acme\",\"name\":\"Acme\"}", headers),
                    404, "NOT_FOUND"));
            checks.add(() -> assertProblem(admin.createKey("acme", "{\"name\":\"k\",\"scopes\":[\"runners:read\"]}",
                    headers), 404, "NOT_FOUND"));
            checks.add(() -> assertProblem(admin.listKeys("acme", headers), 404, "NOT_FOUND"));
            checks.add(() -> assertProblem(admin.revokeKey("acme", 1, headers), 404, "NOT_FOUND"));
        }
        assertAll(checks);
    }

    @Test
    void theOrganizationApiStillAsksForAKey() {
        assertUnauthorized(http.get(RUNNERS), "AUTH_REQUIRED");
    }
}
