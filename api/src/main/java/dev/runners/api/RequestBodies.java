package dev.runners.api;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.runners.domain.FieldRules;
import dev.runners.domain.Heartbeat;
import dev.runners.domain.LabelSet;
import dev.runners.domain.PodStatus;
import dev.runners.domain.PodUpdate;
import dev.runners.domain.ReportedState;
import dev.runners.domain.RunnerRegistration;
import dev.runners.domain.Scope;
import jakarta.json.JsonObject;

/** The request bodies of the contract, read into validated domain values. */
public final class RequestBodies {
    private static final String LABELS = "labels";
    private static final String MAX_PODS = "max_pods";
    private static final String STATUS = "status";

    private RequestBodies() {
    }

    public static RunnerRegistration registration(JsonObject body) {
        BodyFields fields = BodyFields.of(body, Set.of("name", "version", "os", "arch", LABELS, MAX_PODS));
        String name = fields.requiredString("name", FieldRules::runnerName);
        String version = fields.requiredString("version", FieldRules::version);
        String os = fields.requiredString("os", FieldRules::osOrArch);
        String arch = fields.requiredString("arch", FieldRules::osOrArch);
        LabelSet labels = labels(fields);
        Integer maxPods = fields.optionalInteger(MAX_PODS, FieldRules::maxPods);
        fields.finish();
        return new RunnerRegistration(name, version, os, arch, labels == null ? LabelSet.empty() : labels,
                maxPods == null ? FieldRules.DEFAULT_MAX_PODS : maxPods);
    }

    public static Heartbeat heartbeat(JsonObject body) {
        BodyFields fields = BodyFields.of(body, Set.of(STATUS, "version", "os", "arch", LABELS, MAX_PODS));
        String status = fields.requiredString(STATUS,
                s -> ReportedState.fromWire(s).isPresent() ? null : "must be one of online, offline");
        String version = fields.optionalString("version", FieldRules::version, false);
        String os = fields.optionalString("os", FieldRules::osOrArch, false);
        String arch = fields.optionalString("arch", FieldRules::osOrArch, false);
        LabelSet labels = labels(fields);
        Integer maxPods = fields.optionalInteger(MAX_PODS, FieldRules::maxPods);
        fields.finish();
        return new Heartbeat(ReportedState.fromWire(status).orElseThrow(), version, os, arch, labels, maxPods);
    }

    /** {@code {"schedulable": bool}}, the only field of a runner PATCH (endpoint 8a); required. */
    public static boolean schedulable(JsonObject body) {
        BodyFields fields = BodyFields.of(body, Set.of("schedulable"));
        Boolean schedulable = fields.requiredBoolean("schedulable");
        fields.finish();
        return schedulable;
    }

    public static PodUpdate podReport(JsonObject body) {
        BodyFields fields = BodyFields.of(body, Set.of(STATUS, "agent_type_id", "initial_prompt"));
        String status = fields.requiredString(STATUS, s -> PodStatus.fromWire(s).isPresent() ? null
                : "must be one of initializing, running, paused, disconnected, completed, terminated, error, orphaned");
        String agentTypeId = fields.requiredString("agent_type_id", FieldRules::agentTypeId);
        String initialPrompt = fields.optionalString("initial_prompt", FieldRules::initialPrompt, true);
        fields.finish();
        return new PodUpdate(PodStatus.fromWire(status).orElseThrow(), agentTypeId, initialPrompt);
    }

    /** {@code {slug, name}} of a new organization. */
    public record NewOrganization(String slug, String name) {
    }

    public static NewOrganization organization(JsonObject body) {
        BodyFields fields = BodyFields.of(body, Set.of("slug", "name"));
        String slug = fields.requiredString("slug", FieldRules::slug);
        String name = fields.requiredString("name", s -> FieldRules.displayName(s, FieldRules.MAX_ORGANIZATION_NAME_LENGTH));
        fields.finish();
        return new NewOrganization(slug, name);
    }

    /** {@code {name, scopes, expires_at?}} of a new API key. */
    public record NewApiKey(String name, Set<Scope> scopes, Instant expiresAt) {
    }

    public static NewApiKey apiKey(JsonObject body, Instant now) {
        BodyFields fields = BodyFields.of(body, Set.of("name", "scopes", "expires_at"));
        String name = fields.requiredString("name", s -> FieldRules.displayName(s, FieldRules.MAX_API_KEY_NAME_LENGTH));
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        List<String> scopeNames = fields.optionalStringArray("scopes", Scope.values().length);
        if (!fields.has("scopes")) {
            fields.reject("scopes", "is required");
        } else if (scopeNames != null) {
            for (String scopeName : scopeNames) {
                Scope.fromWire(scopeName).ifPresentOrElse(scope -> {
                    if (!scopes.add(scope)) {
                        fields.reject("scopes", "must not name a scope twice");
                    }
                }, () -> fields.reject("scopes", "must contain only runners:read and runners:write"));
            }
            if (scopeNames.isEmpty()) {
                fields.reject("scopes", "must name at least one scope");
            }
        }
        Instant expiresAt = fields.optionalTimestamp("expires_at", false);
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            fields.reject("expires_at", "must lie in the future");
        }
        fields.finish();
        return new NewApiKey(name, scopes, expiresAt);
    }

    private static LabelSet labels(BodyFields fields) {
        // at most 32 items as sent (the contract's maxItems); repeats among them are merged
        List<String> values = fields.optionalStringArray(LABELS, LabelSet.MAX_LABELS);
        if (values == null) {
            return null;
        }
        int before = fields.violations().size();
        LabelSet labels = LabelSet.of(values, LABELS, fields.violations());
        return fields.violations().size() == before ? labels : null;
    }
}
