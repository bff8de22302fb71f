package dev.runners.server.edge;

import java.util.List;
import java.util.Set;

import dev.runners.api.ApiException;
import dev.runners.api.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Media types before matching. The API speaks only JSON (and problem+json for errors): rather than
 * answer 406 to an unusual Accept header, it disregards the header, as HTTP allows; only the change
 * feed reads it (kept as {@link #SENT_ACCEPT}) to choose between Server-Sent Events and the long poll. A Content-Type
 * that cannot be parsed, or two of them, is a 415 here, where JAX-RS would answer an empty 400.
 */
@Provider
@PreMatching
@Priority(1)
@Singleton
public class MediaTypeFilter implements ContainerRequestFilter {
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");
    /** The Accept header as sent, kept for the one operation that it chooses between two forms (the feed). */
    public static final String SENT_ACCEPT = MediaTypeFilter.class.getName() + ".accept";

    @Override
    public void filter(ContainerRequestContext request) {
        List<String> accept = request.getHeaders().get(HttpHeaders.ACCEPT);
        if (accept != null) {
            request.setProperty(SENT_ACCEPT, String.join(",", accept));
        }
        request.getHeaders().remove(HttpHeaders.ACCEPT);
        if (!BODY_METHODS.contains(request.getMethod())) {
            // no operation reads a body here; its media type is irrelevant
            request.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
            return;
        }
        List<String> contentTypes = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        if (contentTypes == null || contentTypes.isEmpty()) {
            return;
        }
        if (contentTypes.size() > 1) {
            throw unsupported("send one Content-Type header");
        }
        try {
            MediaType.valueOf(contentTypes.get(0));
        } catch (IllegalArgumentException e) {
            throw unsupported("the Content-Type header cannot be parsed");
        }
    }

    private static ApiException unsupported(String detail) {
        return new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, detail + "; the request body must be application/json");
    }
}
