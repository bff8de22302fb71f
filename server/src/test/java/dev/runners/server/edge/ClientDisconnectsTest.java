package dev.runners.server.edge;

import java.io.UncheckedIOException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import io.helidon.common.buffers.DataReader;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Which records become one line; ShippedJarH2IT counts the lines of the real jar. */
class ClientDisconnectsTest {
    private final ClientDisconnects filter = new ClientDisconnects();

    private static LogRecord record(String logger, Level level, Throwable thrown) {
        LogRecord record = new LogRecord(level, "Internal server error");
        record.setLoggerName(logger);
        record.setThrown(thrown);
        return record;
    }

    @Test
    void aConnectionEndedInsideTheHeadersIsOneInfoLineWithoutTheStackTrace() {
        LogRecord record = record("io.helidon.webserver.http1.Http1Connection", Level.WARNING,
                new RuntimeException("Internal error", new DataReader.InsufficientDataAvailableException()));

        assertThat(filter.isLoggable(record), is(true));
        assertThat(record.getLevel(), is(Level.INFO));
        assertThat(record.getThrown(), nullValue());
        assertThat(record.getMessage(),
                is("Connection closed before the exchange was complete: the client ended it inside the request"));
    }

    @Test
    void aResetWhileTheAnswerIsWrittenIsOneLineNamingTheReset() {
        LogRecord record = record("org.glassfish.jersey.server.ServerRuntime$Responder", Level.SEVERE,
                new UncheckedIOException(new SocketException("Connection reset by peer")));

        filter.isLoggable(record);

        assertThat(record.getThrown(), nullValue());
        assertThat(record.getMessage(), is("Connection closed before the exchange was complete:"
                + " the client's side failed (Connection reset by peer)"));
    }

    @Test
    void aDatabaseConnectionFailureKeepsItsLevelAndStackTrace() {
        LogRecord record = record("org.glassfish.jersey.server.ServerRuntime$Responder", Level.SEVERE,
                new IllegalStateException(new SQLException("I/O error", "08006", new SocketException("Connection reset"))));

        filter.isLoggable(record);

        assertThat(record.getLevel(), is(Level.SEVERE));
        assertThat(record.getThrown(), notNullValue());
    }

    @Test
    void otherLoggersAreLeftAlone() {
        LogRecord record = record("dev.runners.server.problems.ProblemMapper", Level.SEVERE,
                new UncheckedIOException(new SocketException("Connection reset")));

        filter.isLoggable(record);

        assertThat(record.getLevel(), is(Level.SEVERE));
        assertThat(record.getThrown(), notNullValue());
    }
}
