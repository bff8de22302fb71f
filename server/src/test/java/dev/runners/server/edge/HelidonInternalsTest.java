package dev.runners.server.edge;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1ConnectionListener;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reach into Helidon's internals, and how it fails when a Helidon keeps them elsewhere. */
class HelidonInternalsTest {

    /** Stands in for Helidon's server extension, holding the builder where 4.1.2 does. */
    private static final class HoldsTheBuilder {
        @SuppressWarnings("unused")
        private final WebServerConfig.Builder serverBuilder = WebServerConfig.builder();
    }

    /** A Helidon that renamed the field. */
    private static final class HoldsNothing {
    }

    /** A Helidon whose field no longer holds a builder. */
    private static final class HoldsSomethingElse {
        @SuppressWarnings("unused")
        private final String serverBuilder = "not a builder";
    }

    @Test
    void theBuilderIsTakenFromTheFieldThatHoldsIt() throws ReflectiveOperationException {
        HoldsTheBuilder holder = new HoldsTheBuilder();
        WebServerConfig.Builder builder = HelidonInternals.serverBuilder(HoldsTheBuilder.class, holder,
                HelidonInternals.SERVER_BUILDER_FIELD);
        java.lang.reflect.Field field = HoldsTheBuilder.class.getDeclaredField(HelidonInternals.SERVER_BUILDER_FIELD);
        field.setAccessible(true);
        assertSame(field.get(holder), builder);
    }

    @Test
    void aMissingFieldIsOneLineNamingIt() {
        HelidonInternals.HookUnavailable failure = assertThrows(HelidonInternals.HookUnavailable.class,
                () -> HelidonInternals.serverBuilder(HoldsNothing.class, new HoldsNothing(),
                        HelidonInternals.SERVER_BUILDER_FIELD));
        assertThat(failure.getMessage(), containsString(HoldsNothing.class.getName() + ".serverBuilder"));
        assertThat(failure.getMessage(), not(containsString("\n")));
    }

    @Test
    void aFieldHoldingSomethingElseIsRefusedToo() {
        HelidonInternals.HookUnavailable failure = assertThrows(HelidonInternals.HookUnavailable.class,
                () -> HelidonInternals.serverBuilder(HoldsSomethingElse.class, new HoldsSomethingElse(),
                        HelidonInternals.SERVER_BUILDER_FIELD));
        assertThat(failure.getMessage(), containsString("does not hold one"));
    }

    @Test
    void theWebServersRefusalOfABodyKeepsItsStatusAndAnyOtherFailureOfTheBodyIsA400() {
        RequestException tooLarge = RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .status(Status.REQUEST_ENTITY_TOO_LARGE_413)
                .build();
        assertEquals(413, HelidonInternals.refusedBodyStatus(tooLarge));
        assertEquals(413, HelidonInternals.refusedBodyStatus(new IllegalStateException(tooLarge)));
        RequestException withoutStatus = RequestException.builder()
                .type(DirectHandler.EventType.BAD_REQUEST)
                .message("Invalid terminating chunk")
                .build();
        assertEquals(400, HelidonInternals.refusedBodyStatus(withoutStatus));
        assertEquals(400, HelidonInternals.refusedBodyStatus(new NumberFormatException("For input string: \"zz\"")));
    }

    @Test
    void theConnectionBehindAConnectionContextIsReachableOnThisHelidon() {
        // what ConnectionGuard checks before the server starts; fails after an upgrade that moved it
        HelidonInternals.checkConnectionsReachable();
    }

    @Test
    void theLengthIsTakenOffA304AndLeftOnEveryOtherAnswer() {
        Http1ConnectionListener listener = HelidonInternals.notModifiedWithoutLength();
        WritableHeaders<?> notModified = WritableHeaders.create().set(HeaderValues.CONTENT_LENGTH_ZERO);
        listener.status(null, Status.NOT_MODIFIED_304);
        listener.headers(null, notModified);
        assertFalse(notModified.contains(HeaderNames.CONTENT_LENGTH));

        // the next answer on the same thread is a 200: nothing of the 304 is left over
        WritableHeaders<?> ok = WritableHeaders.create().set(HeaderValues.CONTENT_LENGTH_ZERO);
        listener.status(null, Status.OK_200);
        listener.headers(null, ok);
        assertTrue(ok.contains(HeaderValues.CONTENT_LENGTH_ZERO));
    }

    @Test
    void aConnectionThatEndedInsideTheRequestIsToldByItsType() {
        assertTrue(HelidonInternals.endedInsideTheRequest(new DataReader.InsufficientDataAvailableException()));
        assertFalse(HelidonInternals.endedInsideTheRequest(new UncheckedIOException(new IOException("reset"))));
    }
}
