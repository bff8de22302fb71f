package dev.runners.server.resources;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import dev.runners.api.PagedList;
import dev.runners.api.QueryValues;
import dev.runners.server.edge.OperationRules;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

/**
 * Links every page of a list to the next one while more items follow (RFC 8288:
 * {@code Link: </api/v1/runners?status=online&limit=100&offset=100>; rel="next"}): the same path,
 * the same filters, the same limit, the offset advanced by it.
 */
@Provider
@Singleton
public class NextPageLink implements ContainerResponseFilter {
    static final String LINK = "Link";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() != 200 || !(response.getEntity() instanceof PagedList page) || !page.hasNext()) {
            return;
        }
        Optional<OperationRules> rules = OperationRules.of(request);
        if (rules.isEmpty()) {
            return;
        }
        long nextOffset = (long) page.offset() + page.limit();
        if (nextOffset > Integer.MAX_VALUE) {
            return;  // beyond any offset a request can give
        }
        StringBuilder target = new StringBuilder(request.getUriInfo().getRequestUri().getRawPath()).append('?');
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters(true);
        for (String name : new TreeSet<>(rules.get().queryParameters())) {
            if (name.equals(QueryValues.LIMIT) || name.equals(QueryValues.OFFSET)) {
                continue;
            }
            for (String value : query.getOrDefault(name, List.of())) {
                target.append(encode(name)).append('=').append(encode(value)).append('&');
            }
        }
        target.append(QueryValues.LIMIT).append('=').append(page.limit())
                .append('&').append(QueryValues.OFFSET).append('=').append(nextOffset);
        response.getHeaders().add(LINK, "<" + target + ">; rel=\"next\"");
    }

    /** Percent-encodes all but RFC 3986's unreserved characters, so any value survives the round trip. */
    private static String encode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return encoded.toString();
    }
}
