package dev.runners.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.runners.api.ErrorCode;
import dev.runners.api.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.json.bind.Jsonb;

/**
 * Refuses a request whose raw query is not a valid URI query (a broken percent-escape such as
 * {@code %ZZ}, a raw space, quote or control character) before it reaches JAX-RS, which cannot
 * build a URI from it and would fail with a plain-text 500; the answer names the
 * parameter, as for every other bad query value. (A broken escape in the path is refused by the
 * web server itself, before any routing.)
 */
@ApplicationScoped
public class MalformedUriGuard {

    private final Jsonb jsonb = new JsonbConfiguration().getContext(Problem.class);

    // before the server starts routing (Helidon starts it after the application's observers)
    void register(@Observes @Initialized(ApplicationScoped.class) Object event, BeanManager beans) {
        beans.getExtension(ServerCdiExtension.class).serverRoutingBuilder().addFilter(this::filter);
    }

    private void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String query = request.query().rawValue();
        if (query != null && !isUri(query)) {
            String parameter = brokenParameter(query);
            refuse(response, Problem.of(ErrorCode.INVALID_PARAMETER, "a query or path parameter is not valid",
                    List.of(Problem.ProblemError.parameter(parameter,
                            "has a character that must be percent-encoded, or a malformed percent-escape"))));
            return;
        }
        chain.proceed();
    }

    /** Whether JAX-RS can build a URI with this raw query (as it does for every request). */
    private static boolean isUri(String rawQuery) {
        try {
            new URI("http://host/?" + rawQuery);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String brokenParameter(String query) {
        for (String pair : query.split("&")) {
            if (!isUri(pair)) {
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
