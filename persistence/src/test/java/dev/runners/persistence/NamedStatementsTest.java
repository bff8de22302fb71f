package dev.runners.persistence;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamedStatementsTest {

    @Test
    void aFragmentIsPutWhereAStatementNamesItAndItsParametersStayBound() {
        Map<String, String> expanded = NamedStatements.expand(
                Map.of("is-recent", "  r.seen_at >= :cutoff\n"),
                Map.of("recent", "SELECT r.id FROM runners r WHERE {{is-recent}} AND r.id > :after"));
        assertEquals("SELECT r.id FROM runners r WHERE r.seen_at >= :cutoff AND r.id > :after", expanded.get("recent"));
    }

    @Test
    void anUnknownFragmentStopsTheLoadNamingTheStatementAndTheFragment() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> NamedStatements.expand(
                Map.of("runner-status", "1"), Map.of("runners-page", "SELECT {{runner-statuss}} FROM runners r")));
        assertTrue(e.getMessage().contains("runners-page") && e.getMessage().contains("runner-statuss"), e.getMessage());
    }

    @Test
    void theShippedStatementsNameOnlyKnownFragmentsAndKeepNoMarker() {
        Map<String, String> statements = NamedStatements.load();
        assertTrue(statements.get("runners-page").contains("r.last_heartbeat_at < :heartbeat_cutoff"));
        statements.forEach((name, sql) -> assertFalse(sql.contains("{{") || sql.contains("}}"), name));
    }
}
