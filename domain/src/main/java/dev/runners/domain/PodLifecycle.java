package dev.runners.domain;

import java.time.Instant;
import java.util.Objects;

import dev.runners.domain.PodRepository.PodReport;

/**
 * The pod lifecycle rule: what a report ({@code PUT} of a pod) means, given what is stored under
 * its key. A key no pod holds creates the pod. A key held by a pod of another runner of the
 * organization is a conflict. A key held by the runner's own pod is an update of that pod: its
 * agent type and initial prompt are fixed at creation (an absent prompt keeps the stored one), its
 * status moves only as {@link PodStatus#canMoveTo} allows, and a report of the stored status again
 * is an idempotent repeat that changes nothing (and so emits no event).
 */
public final class PodLifecycle {
    private PodLifecycle() {
    }

    /** The report of a key no pod of the organization holds: a new pod, created at {@code now}. */
    public static PodReport create(String key, PodUpdate update, Instant now) {
        return new PodReport(new Pod(key, update.status(), update.agentTypeId(), update.initialPrompt(), now),
                true, true);
    }

    /**
     * The report of a key held by {@code stored}, a pod of runner {@code holderRunnerId}, sent for
     * runner {@code runnerId}: the pod as it is to be stored, and whether its status changed.
     *
     * @throws ConflictException POD_KEY_TAKEN, IMMUTABLE_FIELD or INVALID_TRANSITION
     */
    public static PodReport update(long runnerId, long holderRunnerId, Pod stored, PodUpdate update) {
        if (holderRunnerId != runnerId) {
            throw keyTaken(stored.key());
        }
        if (!stored.agentTypeId().equals(update.agentTypeId())) {
            throw immutable("agent_type_id");
        }
        if (update.initialPrompt() != null && !Objects.equals(stored.initialPrompt(), update.initialPrompt())) {
            throw immutable("initial_prompt");
        }
        if (!stored.status().canMoveTo(update.status())) {
            throw new ConflictException(ConflictException.Reason.INVALID_TRANSITION,
                    "pod '" + stored.key() + "' is " + stored.status().wireName()
                            + " and cannot become " + update.status().wireName());
        }
        return new PodReport(new Pod(stored.key(), update.status(), stored.agentTypeId(), stored.initialPrompt(),
                stored.createdAt()), false, stored.status() != update.status());
    }

    /** The conflict of a key held by a pod of another runner of the organization. */
    public static ConflictException keyTaken(String key) {
        return new ConflictException(ConflictException.Reason.POD_KEY_TAKEN,
                "pod key '" + key + "' is held by another runner of this organization");
    }

    private static ConflictException immutable(String field) {
        return new ConflictException(ConflictException.Reason.IMMUTABLE_FIELD,
                field + " is fixed when the pod is created and cannot be changed");
    }
}
