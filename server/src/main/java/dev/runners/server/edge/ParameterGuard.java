package dev.runners.server.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import dev.runners.api.InvalidInputException;
import dev.runners.domain.UnknownResourceException;
import dev.runners.domain.Violation;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses what JAX-RS would otherwise silently ignore: query parameters the operation does not
 * declare (an empty name too), and matrix parameters ({@code /runners/1;x=y}), which JAX-RS strips
 * from a path value before the resource sees it.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 100)
@Singleton
public class ParameterGuard implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        OperationRules.of(request).ifPresent(rules -> {
            refuseMatrixParameters(request, rules.pathTemplate());
            refuseUnknownQueryParameters(request, rules.queryParameters());
        });
    }

    private static void refuseMatrixParameters(ContainerRequestContext request, List<String> template) {
        List<PathSegment> segments = request.getUriInfo().getPathSegments(false);
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).getMatrixParameters().isEmpty()) {
                continue;
            }
            String parameter = OperationRules.parameterName(i < template.size() ? template.get(i) : "");
            if (parameter != null) {
                throw InvalidInputException.parameter(parameter, "must not contain ';'");
            }
            throw new UnknownResourceException("no such resource");
        }
    }

    private static void refuseUnknownQueryParameters(ContainerRequestContext request, java.util.Set<String> known) {
        TreeSet<String> names = new TreeSet<>(request.getUriInfo().getQueryParameters().keySet());
        String raw = request.getUriInfo().getRequestUri().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (pair.startsWith("=")) {
                    names.add("");  // JAX-RS drops a parameter without a name
                }
            }
        }
        List<Violation> unknown = new ArrayList<>();
        for (String name : names) {
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
