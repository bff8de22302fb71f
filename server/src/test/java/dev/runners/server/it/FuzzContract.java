package dev.runners.server.it;

import java.security.SecureRandom;

import dev.runners.server.fuzz.ContractFuzzer;
import dev.runners.server.support.RaisedRateLimits;
import dev.runners.server.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests generated from the published OpenAPI document, valid and mutated, against the real server:
 * no answer may depart from the contract. The seed is printed; {@code -Drunners.fuzz.seed=N} repeats a
 * run, {@code -Drunners.fuzz.requests=N} changes its length.
 */
@ExtendWith(RaisedRateLimits.class)
abstract class FuzzContract extends ApiContract {
    private static final int DEFAULT_REQUESTS = 2000;
    private static final int REQUESTS = Integer.getInteger("runners.fuzz.requests", DEFAULT_REQUESTS);

    @Test
    void generatedRequestsGetOnlyAnswersTheContractAllows() {
        assertTrue(RaisedRateLimits.serverRunning() && RaisedRateLimits.setBeforeTheServerStarted(),
                "the raised rate limits must be set before the server reads its configuration");
        long seed = Long.getLong("runners.fuzz.seed", new SecureRandom().nextLong());
        System.out.println("Contract fuzzing with seed " + seed + " (-Drunners.fuzz.seed=" + seed + ")");
        ContractFuzzer.Report report = new ContractFuzzer(target.getUri(), TestDatabase.ADMIN_TOKEN, seed, clock)
                .run(REQUESTS);
        System.out.println(report.summary());
        assertTrue(report.findings().isEmpty(), () -> report.findings().size() + " answers depart from the contract"
                + " (seed " + seed + ", repeat with -Drunners.fuzz.seed=" + seed + "):\n" + report.findingsText(40));
        if (REQUESTS >= DEFAULT_REQUESTS) {
            // else the generator (or the server) refuses what the contract calls valid, and nothing is covered
            assertTrue(report.operationsNeverSucceeded().isEmpty(), () -> "no valid request succeeded for "
                    + report.operationsNeverSucceeded() + " (seed " + seed + ")");
        }
    }
}
