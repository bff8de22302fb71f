package dev.runners.server.auth;

import java.security.Principal;

import io.helidon.common.context.Contexts;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The organization a request acts for, and the key it acts with, set by {@link AccessFilter} once
 * its key is accepted. It is the request's security principal too, so that application-scoped
 * resources (which JAX-RS gives a per-request proxy of the security context) can read it without a
 * bean per request. It is kept in the request's Helidon context as well ({@link #current()}), which
 * costs a resource less than the security context's proxy.
 */
public record Caller(long organizationId, long apiKeyId) implements Principal {
    void attachTo(ContainerRequestContext request) {
        actForCurrentRequest();
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return Caller.this;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        });
    }

    /** Makes this the caller of the request handled on this thread ({@link #current()}): its Helidon context. */
    public void actForCurrentRequest() {
        Contexts.context().ifPresent(context -> context.register(this));
    }

    public static Caller of(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof Caller c) {
            return c;
        }
        throw new IllegalStateException("no authenticated caller on this request");
    }

    /** The caller of the request handled on this thread, as {@link AccessFilter} accepted it. */
    public static Caller current() {
        return Contexts.context().flatMap(context -> context.get(Caller.class))
                .orElseThrow(() -> new IllegalStateException("no authenticated caller on this request"));
    }

    @Override
    public String getName() {
        return "organization " + organizationId;
    }
}
