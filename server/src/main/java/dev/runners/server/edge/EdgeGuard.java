package dev.runners.server.edge;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import dev.runners.api.ErrorCode;
import dev.runners.api.Problem;
import dev.runners.server.json.JsonbConfiguration;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.json.bind.Jsonb;

/**
 * What is refused before JAX-RS sees a request, answered with problem+json like every other error:
 * <ul>
 *     <li>requests the web server itself rejects (malformed HTTP, a URI or headers over the limits):
 *     its default answer is plain text that may echo the raw request, credentials included;</li>
 *     <li>a raw query JAX-RS cannot parse ({@code %ZZ}, a raw quote or control character), which
 *     would be a plain-text 500; the answer names the parameter;</li>
 *     <li>a request without exactly one well-formed Host header, which JAX-RS cannot build a URI for;</li>
 *     <li>a method other than GET or HEAD on the health endpoints and the metrics (405, as on every other
 *     path; OPTIONS answers 204 with the same {@code Allow}); a path under {@code /health} that is not
 *     one of them is a 404, whatever the method.</li>
 * </ul>
 */
@ApplicationScoped
public class EdgeGuard {
    private static final Set<String> HEALTH_ENDPOINTS = Set.of("/health", "/health/live", "/health/ready",
            "/health/started");
    private static final String METRICS = "/metrics";
    private static final String HEALTH_ALLOW = "GET, HEAD, OPTIONS";

    private final Jsonb jsonb = new JsonbConfiguration().getContext(Problem.class);
    /** The last Host found well-formed: a client sends the same one every time, and parsing it cost ~2% of a read. */
    private volatile String wellFormedHost;

    // before the server starts (Helidon starts it after the application's observers)
    void register(@Observes @Initialized(ApplicationScoped.class) Object event, BeanManager beans) {
        ServerCdiExtension server = beans.getExtension(ServerCdiExtension.class);
        server.serverRoutingBuilder().addFilter(this::filter);
        replaceDirectHandlers(server);
    }

    private void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (!request.headers().contains(HeaderNames.HOST)) {
            refuse(response, invalidParameter("Host", "the Host header is required"));
            return;
        }
        List<String> hosts = request.headers().get(HeaderNames.HOST).allValues();
        if (hosts.size() != 1 || !wellFormedHost(hosts.get(0))) {
            refuse(response, invalidParameter("Host", "send one Host header holding a host name and port"));
            return;
        }
        String query = request.query().rawValue();
        if (query != null && !isUri("http://host/?" + query)) {
            refuse(response, invalidParameter(brokenParameter(query),
                    "has a character that must be percent-encoded, or a malformed percent-escape"));
            return;
        }
        String path = request.path().rawPath();
        Method method = request.prologue().method();
        if (isObservePath(path) && !method.equals(Method.GET) && !method.equals(Method.HEAD)) {
            // the same Allow for OPTIONS and a 405, as on the API's paths (AllowedMethods)
            response.header(HeaderNames.ALLOW, HEALTH_ALLOW);
            if (method.equals(Method.OPTIONS)) {
                response.status(Status.NO_CONTENT_204);
                response.send();
            } else {
                refuse(response, Problem.of(ErrorCode.METHOD_NOT_ALLOWED, List.of()));
            }
            return;
        }
        // a failure of the web server while it reads the body reaches JAX-RS as whatever its parser met
        request.streamFilter(BrokenRequestBody::watch);
        // and a client that goes while the answer is written must fail the answer, not hang it
        response.streamFilter(ClientGoneOutput::new);
        chain.proceed();
    }

    private boolean wellFormedHost(String host) {
        if (host.equals(wellFormedHost)) {
            return true;
        }
        if (!isUri("http://" + host + "/")) {
            return false;
        }
        wellFormedHost = host;
        return true;
    }

    /** The health probes and the metrics: read-only paths served outside the JAX-RS application. */
    private static boolean isObservePath(String path) {
        return HEALTH_ENDPOINTS.contains(path) || path.equals(METRICS) || path.startsWith(METRICS + "/");
    }

    /**
     * Helidon MP offers no setting for the listener's direct handlers. Without them the web server's
     * own error pages may echo the request, credentials included, so the start fails when they cannot
     * be installed.
     */
    private void replaceDirectHandlers(ServerCdiExtension server) {
        WebServerConfig.Builder builder = HelidonInternals.serverBuilder(server);
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            handlers.addHandler(type, this::direct);
        }
        builder.directHandlers(handlers.build());
    }

    /** The web server's own refusals; the message (which may quote the request) is never sent. */
    private DirectHandler.TransportResponse direct(DirectHandler.TransportRequest request,
                                                   DirectHandler.EventType type,
                                                   Status status,
                                                   ServerResponseHeaders headers,
                                                   String message) {
        Problem problem = switch (status.code()) {
            // a path under /health that the health endpoints do not serve
            case 404 -> Problem.of(ErrorCode.NOT_FOUND, List.of());
            case 413 -> Problem.of(ErrorCode.PAYLOAD_TOO_LARGE, List.of());
            case 414 -> invalidParameter("uri", "the request URI is too long");
            case 431 -> invalidParameter("headers", "the request headers are too large");
            default -> status.code() < 500
                    ? invalidParameter("request", "the request is not valid HTTP/1.1: " + status.reasonPhrase())
                    : Problem.of(ErrorCode.INTERNAL_ERROR, List.of());
        };
        DirectHandler.TransportResponse.Builder response = DirectHandler.TransportResponse.builder()
                .status(Status.create(problem.status()))
                .header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .keepAlive(false)
                .entity(jsonb.toJson(problem).getBytes(StandardCharsets.UTF_8));
        SecurityHeaders.forPath(request.path()).forEach(response::header);
        return response.build();
    }

    private static Problem invalidParameter(String name, String message) {
        return Problem.of(ErrorCode.INVALID_PARAMETER, List.of(Problem.ProblemError.parameter(name, message)));
    }

    /** Whether JAX-RS can build a URI from this text (as it does for every request). */
    private static boolean isUri(String text) {
        try {
            new URI(text);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String brokenParameter(String query) {
        for (String pair : query.split("&")) {
            if (!isUri("http://host/?" + pair)) {
                int equals = pair.indexOf('=');
                return equals < 0 ? pair : pair.substring(0, equals);
            }
        }
        return query;
    }

    private void refuse(RoutingResponse response, Problem problem) {
        response.status(Status.create(problem.status()));
        response.header(HeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.send(jsonb.toJson(problem).getBytes(StandardCharsets.UTF_8));
    }
}
