package dev.runners.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.runners.domain.FieldRules;
import dev.runners.domain.LabelSet;
import dev.runners.server.support.ContractValidator;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static dev.runners.domain.FieldRules.AGENT_TYPE_SYNTAX;
import static dev.runners.domain.FieldRules.MAX_AGENT_TYPE_LENGTH;
import static dev.runners.domain.FieldRules.MAX_NAME_LENGTH;
import static dev.runners.domain.FieldRules.MAX_OS_ARCH_LENGTH;
import static dev.runners.domain.FieldRules.MAX_SLUG_LENGTH;
import static dev.runners.domain.FieldRules.MAX_VERSION_LENGTH;
import static dev.runners.domain.FieldRules.MIN_SLUG_LENGTH;
import static dev.runners.domain.FieldRules.NAME_SYNTAX;
import static dev.runners.domain.FieldRules.OS_ARCH_SYNTAX;
import static dev.runners.domain.FieldRules.SLUG_SYNTAX;
import static dev.runners.domain.FieldRules.VERSION_SYNTAX;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * FieldRules (and LabelSet) against the contract's schemas: a pattern or a limit changed on one
 * side only, or a new constrained field in the contract that FieldRules does not hold, fails here.
 */
class FieldRulesContractTest {
    /** The schema keywords compared; a field carrying any of the last four is a field rule. */
    private static final List<String> KEYWORDS = List.of("minimum", "minLength", "pattern", "maxLength", "maxItems", "maximum");
    private static final Set<String> RULE_KEYWORDS = Set.of("pattern", "maxLength", "maxItems", "maximum");

    /**
     * Constrained in the contract, but not by FieldRules: page sizes and offsets (PageRules), the
     * secret's shape (ApiKeySecret), a problem's HTTP status (ErrorCode), the change feed's wait,
     * batch size and entity tags (EventsResource, ConditionalReads).
     */
    private static final Set<String> HELD_ELSEWHERE = Set.of(
            "parameters.RunnerLimit", "parameters.ApiKeyLimit", "parameters.PodLimit", "parameters.Offset",
            "schemas.RunnerList.limit", "schemas.ApiKeyList.limit", "schemas.PodPage.limit",
            "schemas.CreatedApiKey.secret", "schemas.Problem.status",
            "parameters.EventLimit", "parameters.EventWait", "schemas.EventBatch.events", "parameters.IfNoneMatch");

    private static final Map<String, Map<String, Object>> FIELD_RULES = Map.ofEntries(
            entry("parameters.PodKey", text(NAME_SYNTAX, 1, MAX_NAME_LENGTH)),
            entry("schemas.Pod.key", text(NAME_SYNTAX, 1, MAX_NAME_LENGTH)),
            entry("schemas.Runner.name", text(NAME_SYNTAX, 1, MAX_NAME_LENGTH)),
            entry("schemas.RegisterRunner.name", text(NAME_SYNTAX, 1, MAX_NAME_LENGTH)),
            entry("schemas.Runner.version", text(VERSION_SYNTAX, 1, MAX_VERSION_LENGTH)),
            entry("schemas.RegisterRunner.version", text(VERSION_SYNTAX, 1, MAX_VERSION_LENGTH)),
            entry("schemas.Heartbeat.version", text(VERSION_SYNTAX, 1, MAX_VERSION_LENGTH)),
            entry("schemas.Runner.os", text(OS_ARCH_SYNTAX, 1, MAX_OS_ARCH_LENGTH)),
            entry("schemas.RegisterRunner.os", text(OS_ARCH_SYNTAX, 1, MAX_OS_ARCH_LENGTH)),
            entry("schemas.Heartbeat.os", text(OS_ARCH_SYNTAX, 1, MAX_OS_ARCH_LENGTH)),
            entry("schemas.Runner.arch", text(OS_ARCH_SYNTAX, 1, MAX_OS_ARCH_LENGTH)),
            entry("schemas.RegisterRunner.arch", text(OS_ARCH_SYNTAX, 1, MAX_OS_ARCH_LENGTH)),
            entry("schemas.Heartbeat.arch", text(OS_ARCH_SYNTAX, 1, MAX_OS_ARCH_LENGTH)),
            entry("schemas.Pod.agent_type_id", text(AGENT_TYPE_SYNTAX, 1, MAX_AGENT_TYPE_LENGTH)),
            entry("schemas.ReportPod.agent_type_id", text(AGENT_TYPE_SYNTAX, 1, MAX_AGENT_TYPE_LENGTH)),
            entry("schemas.Label", text(LabelSet.SYNTAX, 1, LabelSet.MAX_LENGTH)),
            entry("parameters.LabelFilter", Map.of("maxItems", LabelSet.MAX_LABELS)),
            entry("schemas.Runner.labels", Map.of("maxItems", LabelSet.MAX_LABELS)),
            entry("schemas.RegisterRunner.labels", Map.of("maxItems", LabelSet.MAX_LABELS)),
            entry("schemas.Heartbeat.labels", Map.of("maxItems", LabelSet.MAX_LABELS)),
            entry("parameters.OrganizationSlug", text(SLUG_SYNTAX, MIN_SLUG_LENGTH, MAX_SLUG_LENGTH)),
            entry("schemas.Organization.slug", text(SLUG_SYNTAX, MIN_SLUG_LENGTH, MAX_SLUG_LENGTH)),
            entry("schemas.CreateOrganization.slug", text(SLUG_SYNTAX, MIN_SLUG_LENGTH, MAX_SLUG_LENGTH)),
            entry("schemas.Organization.name", Map.of("minLength", 1, "maxLength", FieldRules.MAX_ORGANIZATION_NAME_LENGTH)),
            entry("schemas.CreateOrganization.name", Map.of("minLength", 1, "maxLength", FieldRules.MAX_ORGANIZATION_NAME_LENGTH)),
            entry("schemas.ApiKey.name", Map.of("minLength", 1, "maxLength", FieldRules.MAX_API_KEY_NAME_LENGTH)),
            entry("schemas.CreateApiKey.name", Map.of("minLength", 1, "maxLength", FieldRules.MAX_API_KEY_NAME_LENGTH)),
            entry("schemas.Pod.initial_prompt", Map.of("maxLength", FieldRules.MAX_PROMPT_CODE_POINTS)),
            entry("schemas.ReportPod.initial_prompt", Map.of("maxLength", FieldRules.MAX_PROMPT_CODE_POINTS)),
            entry("schemas.Runner.max_pods", maxPods()),
            entry("schemas.RegisterRunner.max_pods", maxPods()),
            entry("schemas.Heartbeat.max_pods", maxPods()));

    private static final Map<String, Map<String, Object>> CONTRACT = constrainedFields();

    @Test
    void everyFieldTheContractConstrainsIsHeldByFieldRules() {
        Set<String> ruled = new TreeSet<>();
        CONTRACT.forEach((where, keywords) -> {
            if (!HELD_ELSEWHERE.contains(where) && keywords.keySet().stream().anyMatch(RULE_KEYWORDS::contains)) {
                ruled.add(where);
            }
        });
        assertEquals(new TreeSet<>(FIELD_RULES.keySet()), ruled,
                "the contract's constrained fields and the ones this test ties to FieldRules");
        for (String where : HELD_ELSEWHERE) {
            if (!CONTRACT.containsKey(where)) {
                fail(where + " is no longer in the contract: take it off HELD_ELSEWHERE");
            }
        }
    }

    @Test
    void eachPatternAndLimitOfTheContractIsTheOneFieldRulesApplies() {
        List<String> drift = new ArrayList<>();
        FIELD_RULES.forEach((where, expected) -> {
            Map<String, Object> stated = CONTRACT.getOrDefault(where, Map.of());
            if (!new TreeMap<>(expected).equals(new TreeMap<>(stated))) {
                drift.add(where + ": FieldRules " + new TreeMap<>(expected) + ", contract " + new TreeMap<>(stated));
            }
        });
        assertEquals(List.of(), drift.stream().sorted().toList());
    }

    @Test
    void theDefaultMaxPodsIsTheContractsDefault() {
        assertEquals(FieldRules.DEFAULT_MAX_PODS, schema("schemas", "RegisterRunner", "max_pods").get("default"));
    }

    /** The contract anchors its patterns; FieldRules matches whole values. */
    private static Map<String, Object> text(String syntax, int minLength, int maxLength) {
        return Map.of("pattern", "^" + syntax + "$", "minLength", minLength, "maxLength", maxLength);
    }

    private static Map<String, Object> maxPods() {
        return Map.of("minimum", FieldRules.MIN_MAX_PODS, "maximum", FieldRules.MAX_MAX_PODS);
    }

    /** Every parameter, schema and schema property of the contract's components, with the keywords it carries. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> constrainedFields() {
        Map<String, Object> components = (Map<String, Object>) document().get("components");
        Map<String, Map<String, Object>> found = new TreeMap<>();
        ((Map<String, Map<String, Object>>) components.get("parameters")).forEach((name, parameter) ->
                keep(found, "parameters." + name, (Map<String, Object>) parameter.get("schema")));
        ((Map<String, Map<String, Object>>) components.get("schemas")).forEach((name, schema) -> {
            keep(found, "schemas." + name, schema);
            Map<String, Map<String, Object>> properties = (Map<String, Map<String, Object>>) schema.get("properties");
            if (properties != null) {
                properties.forEach((property, propertySchema) -> keep(found, "schemas." + name + "." + property, propertySchema));
            }
        });
        return found;
    }

    private static void keep(Map<String, Map<String, Object>> found, String where, Map<String, Object> schema) {
        if (schema == null) {
            return;
        }
        Map<String, Object> keywords = new LinkedHashMap<>();
        for (String keyword : KEYWORDS) {
            if (schema.containsKey(keyword)) {
                keywords.put(keyword, schema.get(keyword));
            }
        }
        if (!keywords.isEmpty()) {
            found.put(where, keywords);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(String section, String name, String property) {
        Map<String, Object> components = (Map<String, Object>) document().get("components");
        Map<String, Object> schema = ((Map<String, Map<String, Object>>) components.get(section)).get(name);
        return ((Map<String, Map<String, Object>>) schema.get("properties")).get(property);
    }

    private static Map<String, Object> document() {
        try (InputStream in = FieldRulesContractTest.class.getClassLoader().getResourceAsStream(ContractValidator.DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(ContractValidator.DOCUMENT + " is not on the class path");
            }
            return new Yaml().load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
