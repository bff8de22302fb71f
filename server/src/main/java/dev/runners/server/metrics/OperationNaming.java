package dev.runners.server.metrics;

import dev.runners.server.edge.OperationRules;
import io.helidon.common.context.Contexts;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Names the request's operation by the contract's operationId of the matched resource method
 * ({@code listRunners}, {@code createApiKey}, …; {@link OperationRules}). Runs before
 * authentication, so refused requests are named too.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 100)
@Singleton
public class OperationNaming implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        OperationRules.of(request).ifPresent(rules -> name(rules.operationId()));
    }

    /** Names the request handled on this thread by its operation, for {@link RequestMetrics}. */
    public static void name(String operationId) {
        Contexts.context().flatMap(context -> context.get(OperationName.class))
                .ifPresent(holder -> holder.set(operationId));
    }
}
