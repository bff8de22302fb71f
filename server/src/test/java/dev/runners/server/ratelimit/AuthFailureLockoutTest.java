package dev.runners.server.ratelimit;

import java.time.Duration;

import dev.runners.server.support.TestClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The lockout's minute and its bounded memory, on a clock that only the test moves. */
class AuthFailureLockoutTest {
    private final TestClock clock = new TestClock();

    AuthFailureLockoutTest() {
        clock.stop();
    }

    @Test
    void theMinuteStartsAtTheFirstFailure() {
        AuthFailureLockout lockout = new AuthFailureLockout(clock, 3, "false");
        lockout.recordFailure("192.0.2.1");
        clock.advance(Duration.ofSeconds(30));
        lockout.recordFailure("192.0.2.1");
        lockout.recordFailure("192.0.2.1");

        RateLimited refused = assertThrows(RateLimited.class, () -> lockout.refuseIfLockedOut("192.0.2.1"));
        assertEquals(30, refused.retryAfterSeconds());
        assertDoesNotThrow(() -> lockout.refuseIfLockedOut("192.0.2.2"));

        clock.advance(Duration.ofSeconds(30));
        assertDoesNotThrow(() -> lockout.refuseIfLockedOut("192.0.2.1"));
    }

    @Test
    void failuresSpreadOverMoreThanAMinuteDoNotLockOut() {
        AuthFailureLockout lockout = new AuthFailureLockout(clock, 2, "false");
        lockout.recordFailure("192.0.2.1");
        clock.advance(Duration.ofSeconds(60));
        lockout.recordFailure("192.0.2.1");

        assertDoesNotThrow(() -> lockout.refuseIfLockedOut("192.0.2.1"));
    }

    @Test
    void zeroSwitchesTheLockoutOff() {
        AuthFailureLockout lockout = new AuthFailureLockout(clock, 0, "false");
        for (int i = 0; i < 100; i++) {
            lockout.recordFailure("192.0.2.1");
        }
        assertDoesNotThrow(() -> lockout.refuseIfLockedOut("192.0.2.1"));
        assertEquals(0, lockout.size());
    }

    @Test
    void theAddressesFollowedAreBounded() {
        AuthFailureLockout lockout = new AuthFailureLockout(clock, 20, "false");
        for (int i = 0; i < AuthFailureLockout.MAX_ADDRESSES + 1_000; i++) {
            lockout.recordFailure("address-" + i);
        }
        assertEquals(AuthFailureLockout.MAX_ADDRESSES, lockout.size());

        clock.advance(Duration.ofSeconds(61));
        lockout.recordFailure("address-new");

        assertEquals(1, lockout.size());
    }

    @Test
    void aTrustSettingOtherThanTrueOrFalseStopsTheStart() {
        IllegalStateException typo = assertThrows(IllegalStateException.class,
                () -> new AuthFailureLockout(clock, 20, "ture"));
        assertEquals("runners.trust-forwarded-for (RUNNERS_TRUST_FORWARDED_FOR) must be true or false, was 'ture'",
                typo.getMessage());
    }
}
