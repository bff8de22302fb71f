package dev.runners.server;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import dev.runners.domain.InvalidInputException;
import dev.runners.domain.Violation;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/** Refuses query parameters that the operation does not declare: nothing is silently ignored. */
@Provider
@Priority(Priorities.AUTHORIZATION + 100)
@Singleton
public class QueryParameterGuard implements ContainerRequestFilter {

    @Context
    private ResourceInfo resourceInfo;

    @Override
    public void filter(ContainerRequestContext request) {
        if (resourceInfo == null || resourceInfo.getResourceMethod() == null) {
            return;
        }
        var known = OperationRules.of(resourceInfo.getResourceMethod()).queryParameters();
        List<Violation> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(request.getUriInfo().getQueryParameters().keySet())) {
            if (!known.contains(name)) {
                unknown.add(new Violation(name, known.isEmpty()
                        ? "this operation takes no query parameters"
                        : "is not a parameter of this operation; known: " + String.join(", ", new TreeSet<>(known))));
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInputException(InvalidInputException.Reason.UNKNOWN_PARAMETER, unknown);
        }
    }
}
