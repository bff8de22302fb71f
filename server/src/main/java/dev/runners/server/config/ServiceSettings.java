package dev.runners.server.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.Config;

/**
 * The service's settings, read once from MicroProfile config (defaults in
 * {@code META-INF/microprofile-config.properties}) and checked before anything starts: a value that
 * cannot be used is an {@link InvalidSettingException} naming the key and its environment variable.
 * The database and web server keys are read by Helidon itself; they are checked here all the same.
 */
public record ServiceSettings(String host,
                              int port,
                              DatabaseSettings database,
                              Optional<String> adminToken,
                              Duration heartbeatTimeout,
                              ConnectionLimits connections,
                              RateLimitSettings rateLimits,
                              FeedSettings feed,
                              Duration shutdownDrain,
                              boolean demo,
                              boolean demoAllowPostgres,
                              boolean tracing) {
    static final int MIN_ADMIN_TOKEN_LENGTH = 16;
    /** The highest rate a limit takes; 0 switches it off. */
    static final int MAX_RATE = 1_000_000;

    /** Reads and checks every setting; throws on the first one that cannot be used. */
    public static ServiceSettings from(Config config) {
        return read(new Reader(config, new LinkedHashSet<>()));
    }

    /** Every key read here, for the test that holds the README's configuration table to them. */
    static Set<String> keys(Config config) {
        Reader reader = new Reader(config, new LinkedHashSet<>());
        read(reader);
        return reader.keys();
    }

    private static ServiceSettings read(Reader read) {
        // read by Helidon's connection pool, checked here so that a bad value is named before anything starts
        read.whole("db.connection.connectionTimeout", 250, 60_000);
        return new ServiceSettings(
                read.text("server.host"),
                read.whole("server.port", 0, 65_535),
                new DatabaseSettings(
                        read.databaseUrl("db.connection.url"),
                        read.text("db.connection.username"),
                        read.text("db.connection.password"),
                        read.text("db.connection.poolName"),
                        read.whole("db.connection.maximumPoolSize", 1, 1_000)),
                read.adminToken("runners.admin-token"),
                Duration.ofSeconds(read.whole("runners.heartbeat-timeout-seconds", 1, 86_400)),
                new ConnectionLimits(
                        read.whole("runners.connections.max", 1, 1_000_000),
                        Duration.ofSeconds(read.whole("runners.connections.header-timeout-seconds", 1, 3_600)),
                        Duration.ofSeconds(read.whole("runners.connections.body-timeout-seconds", 1, 3_600)),
                        Duration.ofSeconds(read.whole("runners.connections.idle-timeout-seconds", 1, 3_600))),
                new RateLimitSettings(
                        read.whole("runners.rate-limit.reads-per-second", 0, MAX_RATE),
                        read.whole("runners.rate-limit.writes-per-second", 0, MAX_RATE),
                        read.whole("runners.rate-limit.auth-failures-per-minute", 0, MAX_RATE),
                        read.flag("runners.trust-forwarded-for")),
                new FeedSettings(
                        read.whole("runners.events.max-streams-per-key", 1, 1_000_000),
                        Duration.ofHours(read.whole("runners.events.retention-hours", 1, 100_000))),
                Duration.ofSeconds(read.whole("runners.shutdown.drain-seconds", 0, 3_600)),
                read.flag("runners.demo"),
                read.flag("runners.demo.allow-postgres"),
                // read by MicroProfile Telemetry; here it also decides whether database statements get spans
                !read.flag("otel.sdk.disabled"));
    }

    public boolean adminEnabled() {
        return adminToken.isPresent();
    }

    /** The environment variable MicroProfile config maps to {@code key}: upper case, other characters as '_'. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    @Override
    public String toString() {
        // the admin token and the database password are never printed
        return "ServiceSettings[" + host + ":" + port + ", " + database.describe() + ", admin API "
                + (adminEnabled() ? "enabled" : "disabled") + "]";
    }

    /**
     * Where the data lives; the password is only handed to the connection pool. The pool's name and
     * size are read by the pool itself, and here for its gauges.
     */
    public record DatabaseSettings(String url, String username, String password, String poolName,
                                   int maximumPoolSize) {
        private static final String POSTGRES = "jdbc:postgresql:";
        private static final String H2 = "jdbc:h2:";

        public boolean isPostgres() {
            return url.startsWith(POSTGRES);
        }

        /**
         * Kind and location, without anything that may carry credentials: PostgreSQL's query
         * parameters ({@code ?user=…&password=…}) and user info, H2's {@code ;…} settings.
         */
        public String describe() {
            if (isPostgres()) {
                String location = url.substring(POSTGRES.length());
                location = before(location, '?');
                location = location.startsWith("//") ? location.substring(2) : location;
                int at = location.indexOf('@');
                return "PostgreSQL at " + (at < 0 ? location : location.substring(at + 1));
            }
            return "H2 at " + before(url.substring(H2.length()), ';');
        }

        @Override
        public String toString() {
            return describe();
        }

        private static String before(String text, char end) {
            int index = text.indexOf(end);
            return index < 0 ? text : text.substring(0, index);
        }
    }

    /** How long a connection may take over each part of a request, and how many may be open. */
    public record ConnectionLimits(int maxConnections, Duration headerTimeout, Duration bodyTimeout,
                                   Duration idleTimeout) {
    }

    /**
     * Per API key (and for the admin token) and instance: requests per second, 0 = off; failed
     * authentications per address and minute before a lockout, 0 = off; whether the client address
     * is the first X-Forwarded-For entry.
     */
    public record RateLimitSettings(long readsPerSecond, long writesPerSecond, int authFailuresPerMinute,
                                    boolean trustForwardedFor) {
    }

    /** The change feed: streams and waiting polls per API key, and how long events are kept. */
    public record FeedSettings(int maxStreamsPerKey, Duration retention) {
    }

    /** A setting whose value cannot be used; the message is the one line an operator sees. */
    public static final class InvalidSettingException extends RuntimeException {
        private final String key;

        public InvalidSettingException(String key, String problem) {
            super("Invalid setting " + key + " (environment variable " + environmentVariable(key) + "): " + problem,
                    null, false, false);
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * Reads values as they are written (Helidon reads them so too) and applies one rule per kind of
     * value; no message repeats a value that may be secret. MicroProfile reads an empty value as unset.
     */
    private record Reader(Config config, Set<String> keys) {

        Optional<String> optional(String key) {
            keys.add(key);
            try {
                return config.getOptionalValue(key, String.class).filter(value -> !value.isBlank());
            } catch (NoSuchElementException | IllegalArgumentException e) {
                // an expression that cannot be resolved, such as ${undefined}
                throw new InvalidSettingException(key, e.getMessage());
            }
        }

        String text(String key) {
            return optional(key).orElseThrow(() -> new InvalidSettingException(key, "must not be empty"));
        }

        int whole(String key, int min, int max) {
            String value = text(key);
            try {
                int number = Integer.parseInt(value);
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException notANumber) {
                // the same message as out of range
            }
            throw new InvalidSettingException(key, "'" + value + "' is not a whole number from " + min + " to " + max);
        }

        boolean flag(String key) {
            String value = text(key);
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            throw new InvalidSettingException(key, "'" + value + "' is neither true nor false");
        }

        String databaseUrl(String key) {
            String url = text(key);
            if (url.startsWith(DatabaseSettings.POSTGRES) || url.startsWith(DatabaseSettings.H2)) {
                return url;
            }
            // the URL may carry a password, so it is not repeated
            throw new InvalidSettingException(key, "must start with jdbc:postgresql: or jdbc:h2:");
        }

        Optional<String> adminToken(String key) {
            Optional<String> token = optional(key);
            token.ifPresent(value -> {
                if (value.codePointCount(0, value.length()) < MIN_ADMIN_TOKEN_LENGTH) {
                    throw new InvalidSettingException(key, "the token must have at least "
                            + MIN_ADMIN_TOKEN_LENGTH + " characters");
                }
                if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                    throw new InvalidSettingException(key, "the token must not contain spaces or control characters");
                }
            });
            return token;
        }
    }
}
