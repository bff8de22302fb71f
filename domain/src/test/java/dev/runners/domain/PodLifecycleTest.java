package dev.runners.domain;

import java.time.Instant;

import dev.runners.domain.PodRepository.PodReport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodLifecycleTest {
    private static final Instant CREATED = Instant.parse("2025-01-15T14:00:00Z");
    private static final Instant NOW = Instant.parse("2025-01-15T14:30:00Z");
    private static final long RUNNER = 7;
    private final Pod running = new Pod("pod-1", PodStatus.RUNNING, "claude-code", "Fix the bug", CREATED);

    private PodReport update(Pod stored, PodStatus status, String agentTypeId, String prompt) {
        return PodLifecycle.update(RUNNER, RUNNER, stored, new PodUpdate(status, agentTypeId, prompt));
    }

    private ConflictException.Reason refusal(long holder, Pod stored, PodUpdate update) {
        return assertThrows(ConflictException.class, () -> PodLifecycle.update(RUNNER, holder, stored, update)).reason();
    }

    @Test
    void aFreeKeyCreatesThePodNow() {
        PodReport report = PodLifecycle.create("pod-2", new PodUpdate(PodStatus.INITIALIZING, "codex", null), NOW);
        assertEquals(new Pod("pod-2", PodStatus.INITIALIZING, "codex", null, NOW), report.pod());
        assertTrue(report.created());
        assertTrue(report.changed());
    }

    @Test
    void aKeyHeldByAnotherRunnerIsTaken() {
        assertEquals(ConflictException.Reason.POD_KEY_TAKEN,
                refusal(RUNNER + 1, running, new PodUpdate(PodStatus.RUNNING, "claude-code", "Fix the bug")));
    }

    @Test
    void theStoredStatusAgainChangesNothing() {
        PodReport report = update(running, PodStatus.RUNNING, "claude-code", "Fix the bug");
        assertEquals(running, report.pod());
        assertFalse(report.created());
        assertFalse(report.changed());
    }

    @Test
    void aStatusChangeKeepsTheCreationTimeAndTheImmutableFields() {
        PodReport report = update(running, PodStatus.PAUSED, "claude-code", null);
        assertEquals(new Pod("pod-1", PodStatus.PAUSED, "claude-code", "Fix the bug", CREATED), report.pod());
        assertFalse(report.created());
        assertTrue(report.changed());
    }

    @Test
    void theAgentTypeIsFixed() {
        assertEquals(ConflictException.Reason.IMMUTABLE_FIELD,
                refusal(RUNNER, running, new PodUpdate(PodStatus.RUNNING, "codex", null)));
    }

    @Test
    void theInitialPromptIsFixedButMayBeLeftOut() {
        assertEquals(ConflictException.Reason.IMMUTABLE_FIELD,
                refusal(RUNNER, running, new PodUpdate(PodStatus.RUNNING, "claude-code", "Another task")));
        Pod withoutPrompt = new Pod("pod-3", PodStatus.RUNNING, "claude-code", null, CREATED);
        assertEquals(ConflictException.Reason.IMMUTABLE_FIELD,
                refusal(RUNNER, withoutPrompt, new PodUpdate(PodStatus.RUNNING, "claude-code", "A prompt now")));
        assertEquals(withoutPrompt, update(withoutPrompt, PodStatus.RUNNING, "claude-code", null).pod());
    }

    @Test
    void aTerminalPodOnlyRepeatsItsStatus() {
        Pod completed = new Pod("pod-4", PodStatus.COMPLETED, "claude-code", null, CREATED);
        assertEquals(ConflictException.Reason.INVALID_TRANSITION,
                refusal(RUNNER, completed, new PodUpdate(PodStatus.RUNNING, "claude-code", null)));
        assertFalse(update(completed, PodStatus.COMPLETED, "claude-code", null).changed());
    }

    @Test
    void theKeyIsCheckedBeforeTheFields() {
        // a pod of another runner says nothing about its fields to this runner
        assertEquals(ConflictException.Reason.POD_KEY_TAKEN,
                refusal(RUNNER + 1, running, new PodUpdate(PodStatus.RUNNING, "codex", "Another task")));
    }
}
