package dev.runners.server.edge;

import java.util.List;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.interceptor.Interceptor;

/**
 * Headers on every response, set before anything answers (health, OpenAPI, unknown paths, the
 * refusals of {@link EdgeGuard} included): {@code X-Content-Type-Options: nosniff}, and on
 * {@code /api/v1} {@code Cache-Control: private, no-cache}. A response that carries a secret
 * replaces the latter with {@link #NO_STORE}.
 */
@ApplicationScoped
public class SecurityHeaders {
    public static final String NO_STORE = "no-store";
    private static final Header NOSNIFF = HeaderValues.createCached("X-Content-Type-Options", "nosniff");
    private static final Header PRIVATE_NO_CACHE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL,
            "private, no-cache");
    private static final String API = "/api/v1";

    // before EdgeGuard registers its filter (default observer priority), so its refusals carry the headers too
    void register(@Observes @Priority(Interceptor.Priority.APPLICATION) @Initialized(ApplicationScoped.class)
                  Object event, BeanManager beans) {
        beans.getExtension(ServerCdiExtension.class).serverRoutingBuilder().addFilter(this::filter);
    }

    private void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        forPath(request.path().rawPath()).forEach(response::header);
        chain.proceed();
    }

    /** The headers of a response to {@code path}; also for the web server's own refusals. */
    static List<Header> forPath(String path) {
        boolean api = path != null && (path.equals(API) || path.startsWith(API + "/"));
        return api ? List.of(NOSNIFF, PRIVATE_NO_CACHE) : List.of(NOSNIFF);
    }
}
