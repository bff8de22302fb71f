package dev.runners.server;

import jakarta.ws.rs.container.ContainerRequestContext;

/** The organization a request acts for, set by {@link AccessFilter} once its key is accepted. */
record Caller(long organizationId, long apiKeyId) {
    private static final String PROPERTY = Caller.class.getName();

    void attachTo(ContainerRequestContext request) {
        request.setProperty(PROPERTY, this);
    }

    static Caller of(ContainerRequestContext request) {
        Object caller = request.getProperty(PROPERTY);
        if (caller instanceof Caller c) {
            return c;
        }
        throw new IllegalStateException("no authenticated caller on this request");
    }
}
