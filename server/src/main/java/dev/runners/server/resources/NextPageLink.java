package dev.runners.server.resources;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

import dev.runners.api.PagedList;
import dev.runners.api.QueryValues;
import dev.runners.server.edge.OperationRules;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
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
        if (response.getStatus() != 200 || !(response.getEntity() instanceof PagedList page)) {
            return;
        }
        OperationRules.of(request)
                .flatMap(rules -> of(page, rules, request.getUriInfo().getRequestUri().getRawPath(),
                        name -> request.getUriInfo().getQueryParameters(true).getOrDefault(name, List.of())))
                .ifPresent(link -> response.getHeaders().add(LINK, link));
    }

    /**
     * The {@code Link} of a 200 answer's {@code page} to the next one, when items follow: for the
     * operation {@code rules}, asked at {@code rawPath} (as sent) with the decoded values of each
     * query parameter ({@code query}; an empty list for one not sent). JAX-RS's answers and
     * {@link RoutingLane}'s get it here.
     */
    static Optional<String> of(PagedList page, OperationRules rules, String rawPath,
                               Function<String, List<String>> query) {
        if (!page.hasNext()) {
            return Optional.empty();
        }
        long nextOffset = (long) page.offset() + page.limit();
        if (nextOffset > Integer.MAX_VALUE) {
            return Optional.empty();  // beyond any offset a request can give
        }
        StringBuilder target = new StringBuilder(rawPath).append('?');
        for (String name : new TreeSet<>(rules.queryParameters())) {
            if (name.equals(QueryValues.LIMIT) || name.equals(QueryValues.OFFSET)) {
                continue;
            }
            for (String value : query.apply(name)) {
                target.append(encode(name)).append('=').append(encode(value)).append('&');
            }
        }
        target.append(QueryValues.LIMIT).append('=').append(page.limit())
                .append('&').append(QueryValues.OFFSET).append('=').append(nextOffset);
        return Optional.of("<" + target + ">; rel=\"next\"");
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
