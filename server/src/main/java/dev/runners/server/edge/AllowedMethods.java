package dev.runners.server.edge;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Which methods each path of the API takes, decided before JAX-RS matches a request, so that
 * OPTIONS and every 405 carry one and the same {@code Allow}. A literal segment wins over a path
 * parameter, as in JAX-RS matching: {@code DELETE /runners/available} is a 405 for the path
 * {@code /runners/available}, where JAX-RS would try {@code /runners/{id}} with {@code id=available}.
 * A path that matches no operation is left to JAX-RS (404).
 */
@Provider
@PreMatching
@Priority(0)  // before the media type of a body is looked at: a wrong method is the first thing wrong
@Singleton
public class AllowedMethods implements ContainerRequestFilter {
    private static final List<Route> ROUTES = routes();

    /** The methods HTTP knows, in the order {@code Allow} lists them. */
    enum Verb { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS }

    /** A path template ({@code null} segments stand for path parameters) and the methods it takes. */
    record Route(List<String> segments, EnumSet<Verb> verbs, int literalCharacters) {
        Route(List<String> segments, EnumSet<Verb> verbs) {
            this(segments, verbs, segments.stream().filter(s -> s != null).mapToInt(String::length).sum());
        }

        String allow() {
            return verbs.stream().map(Verb::name).collect(Collectors.joining(", "));
        }

        boolean matches(List<String> path) {
            if (path.size() != segments.size()) {
                return false;
            }
            for (int i = 0; i < path.size(); i++) {
                String literal = segments.get(i);
                if (literal == null ? path.get(i).isEmpty() : !literal.equals(path.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<Route> route = route(request.getUriInfo().getPathSegments(false));
        if (route.isEmpty()) {
            return;
        }
        String method = request.getMethod();
        if (method.equals(HttpMethod.OPTIONS)) {
            request.abortWith(Response.noContent().header(HttpHeaders.ALLOW, route.get().allow()).build());
            return;
        }
        boolean allowed = route.get().verbs().stream().anyMatch(v -> v.name().equals(method));
        if (!allowed) {
            // ProblemMapper turns this into the 405 problem and keeps the Allow header
            throw new WebApplicationException(Response.status(Response.Status.METHOD_NOT_ALLOWED)
                    .header(HttpHeaders.ALLOW, route.get().allow()).build());
        }
    }

    private static Optional<Route> route(List<PathSegment> pathSegments) {
        List<String> path = new ArrayList<>();
        for (PathSegment segment : pathSegments) {
            path.add(segment.getPath());
        }
        if (path.size() > 1 && path.get(path.size() - 1).isEmpty()) {
            path.remove(path.size() - 1);  // JAX-RS matches a path with one trailing slash too
        }
        Route best = null;
        for (Route route : ROUTES) {
            if (route.matches(path) && (best == null || route.literalCharacters() > best.literalCharacters())) {
                best = route;
            }
        }
        return Optional.ofNullable(best);
    }

    private static List<Route> routes() {
        Map<List<String>, EnumSet<Verb>> byTemplate = new LinkedHashMap<>();
        for (Class<?> type : OperationRules.API) {
            for (Method method : type.getMethods()) {
                OperationRules rules = OperationRules.of(method);
                if (rules.httpMethod() == null) {
                    continue;
                }
                Verb verb = Verb.valueOf(rules.httpMethod());
                List<String> template = new ArrayList<>();
                for (String segment : rules.pathTemplate()) {
                    template.add(OperationRules.parameterName(segment) != null ? null : segment);  // a path parameter matches any segment
                }
                EnumSet<Verb> verbs = byTemplate.computeIfAbsent(template, t -> EnumSet.of(Verb.OPTIONS));
                verbs.add(verb);
                if (verb == Verb.GET) {
                    verbs.add(Verb.HEAD);  // JAX-RS answers HEAD wherever GET is served
                }
            }
        }
        return byTemplate.entrySet().stream().map(e -> new Route(e.getKey(), e.getValue())).toList();
    }
}
