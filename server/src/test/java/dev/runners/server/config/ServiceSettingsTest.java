package dev.runners.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The rules for each setting, over the shipped defaults; the start-up tests show them from outside. */
class ServiceSettingsTest {

    private static ServiceSettings settings(Map<String, String> overrides) {
        List<ConfigSource> sources = new ArrayList<>(MpConfigSources.classPath("META-INF/microprofile-config.properties"));
        sources.add(MpConfigSources.create("test", overrides));
        Config config = ConfigProviderResolver.instance().getBuilder()
                .withSources(sources.toArray(ConfigSource[]::new))
                .build();
        return ServiceSettings.from(config);
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
            "db.connection.url, jdbc:mysql://db/runners, must start with jdbc:postgresql: or jdbc:h2:",
    })
    void aValueThatCannotBeUsedIsNamedWithItsEnvironmentVariable(String key, String value, String problem) {
        InvalidSettingException refused = refused(key, value);

        assertThat(refused.key(), is(key));
        assertThat(refused.getMessage(), is("Invalid setting " + key + " (environment variable "
                + ServiceSettings.environmentVariable(key) + "): " + problem));
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
