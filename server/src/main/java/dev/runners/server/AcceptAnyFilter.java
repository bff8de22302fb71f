package dev.runners.server;

import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * The API speaks only JSON (and problem+json for errors); rather than answer 406 to an unusual
 * Accept header, it disregards the header, as HTTP allows.
 */
@Provider
@PreMatching
@Priority(1)
@Singleton
public class AcceptAnyFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        request.getHeaders().remove(HttpHeaders.ACCEPT);
    }
}
