package dev.runners.server.ratelimit;

import dev.runners.server.ratelimit.RateLimits.Quota;
import io.helidon.webserver.http.ServerRequest;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * The HTTP side of the rate limits: refuses a locked-out address before anything else (every path
 * of the application; the health probes are outside it, so an orchestrator's probes are never
 * locked out), counts every 401 against its address, and writes the caller's quota into the
 * {@code RateLimit-*} headers. The buckets are taken from in {@link AccessFilter}, once the caller
 * is known.
 */
@Provider
@PreMatching
@Priority(0)  // before every other filter: a locked-out address gets 429 whatever it sends
@Singleton
public class RateLimitFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private final AuthFailureLockout lockout;

    @Context
    private ServerRequest serverRequest;

    @Inject
    RateLimitFilter(AuthFailureLockout lockout) {
        this.lockout = lockout;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        // the address is found through a per-request proxy of the Helidon request: only when it may be locked out
        if (lockout.followsAnyAddress()) {
            lockout.refuseIfLockedOut(lockout.clientAddress(serverRequest));
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() == 401) {
            lockout.recordFailure(lockout.clientAddress(serverRequest));
        }
        Quota.of(request).ifPresent(quota -> quota.headers(response.getHeaders()::putSingle));
    }
}
