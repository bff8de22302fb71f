package dev.runners.server.edge;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.runners.api.AdminApi;
import dev.runners.api.RunnersApi;
import dev.runners.domain.Scope;
import dev.runners.server.resources.AdminResource;
import dev.runners.server.resources.RunnersResource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the access filter and the parameter guard learn about an operation from the api module's interfaces. */
class OperationRulesTest {

    @Test
    void aListKnowsItsScopeItsQueryParametersAndItsPath() {
        OperationRules list = OperationRules.of(method(RunnersResource.class, "listRunners"));
        assertEquals("listRunners", list.operationId());
        assertEquals("GET", list.httpMethod());
        assertEquals(Optional.of(Scope.RUNNERS_READ), list.scope());
        assertFalse(list.admin());
        assertEquals(Set.of("status", "label", "limit", "offset"), list.queryParameters());
        assertEquals(List.of("api", "v1", "runners"), list.pathTemplate());

        OperationRules available = OperationRules.of(method(RunnersResource.class, "listAvailableRunners"));
        assertEquals(Set.of("label", "limit", "offset"), available.queryParameters());
        assertEquals(List.of("api", "v1", "runners", "available"), available.pathTemplate());
    }

    @Test
    void aWriteNeedsTheWriteScopeAndKnowsNoQueryParameter() {
        OperationRules report = OperationRules.of(method(RunnersResource.class, "reportPod"));
        assertEquals("PUT", report.httpMethod());
        assertEquals(Optional.of(Scope.RUNNERS_WRITE), report.scope());
        assertEquals(Set.of(), report.queryParameters());
        assertEquals(List.of("api", "v1", "runners", "{id}", "pods", "{key}"), report.pathTemplate());
    }

    @Test
    void adminOperationsAreAdminOnlyAndNeedNoScope() {
        OperationRules keys = OperationRules.of(method(AdminResource.class, "listApiKeys"));
        assertTrue(keys.admin());
        assertEquals(Optional.empty(), keys.scope());
        assertEquals(Set.of("limit", "offset"), keys.queryParameters());
        assertEquals(List.of("api", "v1", "admin", "organizations", "{slug}", "api-keys"), keys.pathTemplate());
    }

    /** What JAX-RS would match as another operation where a path parameter stands: every fixed segment of every path. */
    @Test
    void theFixedSegmentsAreThoseOfEveryOperationsPath() {
        for (String fixed : List.of("api", "v1", "runners", "available", "pods", "heartbeat", "events", "admin",
                "organizations", "api-keys", "openapi")) {
            assertTrue(OperationRules.fixedSegment(fixed), fixed);
        }
        for (String value : List.of("42", "{id}", "id", "pod-1", "")) {
            assertFalse(OperationRules.fixedSegment(value), value);
        }
    }

    /** An operation with neither a scope nor the admin mark would be open to any caller. */
    @Test
    void everyOperationIsGuardedByAScopeOrTheAdminToken() {
        for (Method operation : RunnersApi.class.getMethods()) {
            OperationRules rules = OperationRules.of(implementation(RunnersResource.class, operation));
            assertTrue(rules.scope().isPresent() && !rules.admin(), operation.getName() + " needs a scope");
        }
        for (Method operation : AdminApi.class.getMethods()) {
            OperationRules rules = OperationRules.of(implementation(AdminResource.class, operation));
            assertTrue(rules.admin(), operation.getName() + " is for the admin token");
        }
    }

    private static Method implementation(Class<?> resource, Method declared) {
        try {
            return resource.getMethod(declared.getName(), declared.getParameterTypes());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static Method method(Class<?> resource, String name) {
        List<Method> found = Arrays.stream(resource.getDeclaredMethods())
                .filter(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()) && !m.isBridge())
                .toList();
        assertEquals(1, found.size(), name);
        return found.get(0);
    }
}
