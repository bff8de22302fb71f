package dev.runners.server.it;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.runners.server.support.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * A setting that cannot be used stops the jar before it starts anything: a non-zero exit, and one
 * line that names the key and the environment variable to fix.
 */
class ConfigurationErrorsIT {
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    /** One of each kind; ServiceSettingsTest holds every rule. */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "RUNNERS_HEARTBEAT_TIMEOUT_SECONDS, abc, false, runners.heartbeat-timeout-seconds, 'abc' is not a whole number",
            "DB_CONNECTION_PASSWORD, '', true, db.connection.password, must not be empty",
            "RUNNERS_ADMIN_TOKEN, short-secret, true, runners.admin-token, the token must have at least 16 characters",
            "RUNNERS_EVENTS_RETENTION_HOURS, 0, false, runners.events.retention-hours, '0' is not a whole number",
    })
    void aValueThatCannotBeUsedStopsTheStartWithOneLineNamingIt(String variable, String value, boolean secret,
                                                                String key, String problem) throws Exception {
        try (ServiceProcess service = ServiceProcess.start(workDir, Map.of(variable, value))) {
            assertThat(service.awaitExit(EXIT_WITHIN), is(2));
            List<String> lines = service.output().lines().toList();
            assertThat(lines, contains(
                    containsString("Invalid setting " + key + " (environment variable " + variable + "): " + problem)));
            if (secret && !value.isEmpty()) {
                assertThat(lines.getFirst(), not(containsString(value)));
            }
        }
    }

    @Test
    void aPortInUseStopsTheStartWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            try (ServiceProcess service = ServiceProcess.start(workDir,
                    Map.of("SERVER_PORT", Integer.toString(taken.getLocalPort())))) {
                assertThat(service.awaitExit(EXIT_WITHIN), is(2));
                List<String> lines = service.output().lines().toList();
                assertThat(lines, contains(containsString("Invalid setting server.port (environment variable"
                        + " SERVER_PORT): cannot listen on 127.0.0.1:" + taken.getLocalPort())));
                assertThat(lines.getFirst(), containsString("in use"));
            }
        }
    }

    /**
     * The hook that keeps credentials out of the web server's own error pages reaches into Helidon's
     * internals; when it cannot be installed (a Helidon that keeps them elsewhere), the service refuses
     * to start. A system property that only tests set stands in for such a Helidon.
     */
    @Test
    void withoutTheHookThatKeepsCredentialsOutOfTheServersOwnAnswersTheServiceDoesNotStart() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(workDir, Map.of(),
                "-Ddev.runners.server.edge.HelidonInternals.unreachable=true")) {
            assertThat(service.awaitExit(EXIT_WITHIN), is(1));
            assertThat(service.output().lines().toList(), hasItem(startsWith(
                    "The service did not start: Cannot reach the web server's builder")));
        }
    }
}
