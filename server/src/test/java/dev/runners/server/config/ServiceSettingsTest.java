package dev.runners.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.runners.server.config.ServiceSettings.InvalidSettingException;
import io.helidon.config.mp.MpConfigSources;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The rules for each setting, over the shipped defaults; the start-up tests show them from outside. */
class ServiceSettingsTest {

    private static ServiceSettings settings(Map<String, String> overrides) {
        return ServiceSettings.from(config(overrides));
    }

    private static Config config(Map<String, String> overrides) {
        List<ConfigSource> sources = new ArrayList<>(MpConfigSources.classPath("META-INF/microprofile-config.properties"));
        sources.add(MpConfigSources.create("test", overrides));
        return ConfigProviderResolver.instance().getBuilder()
                .withSources(sources.toArray(ConfigSource[]::new))
                .build();
    }

    private static InvalidSettingException refused(String key, String value) {
        return assertThrows(InvalidSettingException.class, () -> settings(Map.of(key, value)));
    }

    @Test
    void theShippedDefaultsAreUsable() {
        ServiceSettings defaults = settings(Map.of());

        assertThat(defaults.port(), is(8080));
        assertThat(defaults.heartbeatTimeout(), is(Duration.ofSeconds(90)));
        assertThat(defaults.adminEnabled(), is(false));
        assertThat(defaults.database().describe(), is("H2 at file:./data/runners"));
        assertThat(defaults.connections(), is(new ServiceSettings.ConnectionLimits(1000, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(60))));
        assertThat(defaults.rateLimits(), is(new ServiceSettings.RateLimitSettings(100, 100, 20, false)));
        assertThat(defaults.feed(), is(new ServiceSettings.FeedSettings(10, Duration.ofHours(24))));
        assertThat(defaults.shutdownDrain(), is(Duration.ZERO));
    }

    @ParameterizedTest
    @CsvSource({
            "runners.heartbeat-timeout-seconds, abc, 'abc' is not a whole number from 1 to 86400",
            "runners.heartbeat-timeout-seconds, 0, '0' is not a whole number from 1 to 86400",
            "server.port, 65536, '65536' is not a whole number from 0 to 65535",
            "server.port, 80.5, '80.5' is not a whole number from 0 to 65535",
            "db.connection.maximumPoolSize, 0, '0' is not a whole number from 1 to 1000",
            "db.connection.connectionTimeout, 3s, '3s' is not a whole number from 250 to 60000",
            "runners.connections.max, -1, '-1' is not a whole number from 1 to 1000000",
            "runners.connections.header-timeout-seconds, 0, '0' is not a whole number from 1 to 3600",
            "runners.connections.body-timeout-seconds, ten, 'ten' is not a whole number from 1 to 3600",
            "runners.connections.idle-timeout-seconds, 3601, '3601' is not a whole number from 1 to 3600",
            "runners.demo, yes, 'yes' is neither true nor false",
            "runners.rate-limit.reads-per-second, -1, '-1' is not a whole number from 0 to 1000000",
            "runners.rate-limit.writes-per-second, 1000001, '1000001' is not a whole number from 0 to 1000000",
            "runners.rate-limit.auth-failures-per-minute, many, 'many' is not a whole number from 0 to 1000000",
            "runners.trust-forwarded-for, ture, 'ture' is neither true nor false",
            "runners.events.max-streams-per-key, 0, '0' is not a whole number from 1 to 1000000",
            "runners.events.retention-hours, 0, '0' is not a whole number from 1 to 100000",
            "runners.shutdown.drain-seconds, -1, '-1' is not a whole number from 0 to 3600",
            "db.connection.url, jdbc:mysql://db/runners, must start with jdbc:postgresql: or jdbc:h2:",
    })
    void aValueThatCannotBeUsedIsNamedWithItsEnvironmentVariable(String key, String value, String problem) {
        InvalidSettingException refused = refused(key, value);

        assertThat(refused.key(), is(key));
        assertThat(refused.getMessage(), is("Invalid setting " + key + " (environment variable "
                + ServiceSettings.environmentVariable(key) + "): " + problem));
    }

    /** README's table: key, environment variable, default (where it is written out in full), meaning. */
    @Test
    void everyKeyReadHereIsInTheReadmesTableWithItsVariableAndItsShippedDefault() throws IOException {
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
            if (line.startsWith("| `")) {
                List<String> cells = Arrays.stream(line.split("\\|")).map(String::strip).skip(1).toList();
                rows.put(cells.get(0).replace("`", ""), cells);
            }
        }
        Properties shipped = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            shipped.load(in);
        }
        Set<String> keys = ServiceSettings.keys(config(Map.of()));
        assertThat(keys, hasItem("runners.rate-limit.reads-per-second"));
        for (String key : keys) {
            List<String> row = rows.get(key);
            assertThat(key + " is in the README's configuration table", row, notNullValue());
            assertThat(row.get(1), is("`" + ServiceSettings.environmentVariable(key) + "`"));
            String documented = row.get(2);
            if (shipped.containsKey(key) && !documented.contains("…")) {
                assertThat(key + "'s default", documented, is("`" + shipped.getProperty(key) + "`"));
            }
        }
    }

    @Test
    void anEmptyOrBlankPasswordIsRefusedWithoutRepeatingIt() {
        assertThat(refused("db.connection.password", "").getMessage(), is("Invalid setting db.connection.password"
                + " (environment variable DB_CONNECTION_PASSWORD): must not be empty"));
        assertThat(refused("db.connection.password", "   ").key(), is("db.connection.password"));
    }

    @Test
    void anAdminTokenNeedsSixteenCharactersAndNoSpaces() {
        assertThat(refused("runners.admin-token", "x").getMessage(), is("Invalid setting runners.admin-token"
                + " (environment variable RUNNERS_ADMIN_TOKEN): the token must have at least 16 characters"));
        assertThat(refused("runners.admin-token", "fifteen-chars-x").key(), is("runners.admin-token"));
        assertThat(refused("runners.admin-token", "sixteen chars ok").getMessage(),
                containsString("must not contain spaces"));

        ServiceSettings enabled = settings(Map.of("runners.admin-token", "sixteen-chars-ok"));
        assertThat(enabled.adminToken().orElseThrow(), is("sixteen-chars-ok"));
        assertThat(enabled.toString(), not(containsString("sixteen-chars-ok")));
    }

    @Test
    void theDatabaseIsDescribedWithoutCredentials() {
        ServiceSettings postgres = settings(Map.of("db.connection.url",
                "jdbc:postgresql://db.internal:5432/runners?user=app&password=s3cret&sslmode=require"));
        assertThat(postgres.database().describe(), is("PostgreSQL at db.internal:5432/runners"));

        ServiceSettings h2 = settings(Map.of("db.connection.url",
                "jdbc:h2:file:/var/lib/runners/db;USER=app;PASSWORD=s3cret"));
        assertThat(h2.database().describe(), is("H2 at file:/var/lib/runners/db"));
        assertThat(h2.toString(), not(containsString("s3cret")));
    }

    @Test
    void environmentVariablesFollowMicroProfileNaming() {
        assertThat(ServiceSettings.environmentVariable("runners.connections.header-timeout-seconds"),
                is("RUNNERS_CONNECTIONS_HEADER_TIMEOUT_SECONDS"));
        assertThat(ServiceSettings.environmentVariable("db.connection.maximumPoolSize"),
                is("DB_CONNECTION_MAXIMUMPOOLSIZE"));
    }
}
