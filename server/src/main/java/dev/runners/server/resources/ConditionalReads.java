package dev.runners.server.resources;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import dev.runners.domain.Scope;
import dev.runners.server.edge.OperationRules;
import dev.runners.server.json.RecordJsonWriter;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Providers;

/**
 * Weak ETags on the reads (1-4 and the long poll of 13): the tag is a hash of the body as it is
 * serialized ({@link BodyTag}), so it changes exactly when the body would, a status that changed
 * only because time passed included. The body is serialized once, here; a matching If-None-Match gets 304 without it,
 * so a 304 costs what the 200 costs, less the sending. {@link RoutingLane} tags the reads it serves by the same
 * rules ({@link #tagged}, {@link #tagOf}, {@link #matches}).
 */
@jakarta.ws.rs.ext.Provider
@Priority(Priorities.ENTITY_CODER)
@Singleton
public class ConditionalReads implements ContainerResponseFilter {
    static final String IF_NONE_MATCH = "If-None-Match";

    @Context
    private Providers providers;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
        if (!"GET".equals(request.getMethod()) || response.getStatus() != 200 || !response.hasEntity()
                || !isRead(request) || !MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            return;
        }
        byte[] body = serialized(response);
        String tag = tagOf(body);
        response.getHeaders().putSingle(HttpHeaders.ETAG, tag);
        if (matches(request.getHeaderString(IF_NONE_MATCH), tag)) {
            response.setStatus(304);
            response.setEntity(null);
            response.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
        } else {
            response.setEntity(body, response.getEntityAnnotations(), response.getMediaType());
        }
    }

    private static boolean isRead(ContainerRequestContext request) {
        return OperationRules.of(request).filter(ConditionalReads::tagged).isPresent();
    }

    /** Whether the JSON 200 answers to a GET of the operation carry an ETag: the organization's reads. */
    static boolean tagged(OperationRules rules) {
        return !rules.admin() && rules.scope().filter(Scope.RUNNERS_READ::equals).isPresent();
    }

    /** The weak entity tag of a body as it is sent. */
    static String tagOf(byte[] body) {
        return "W/\"" + BodyTag.of(body) + "\"";
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private byte[] serialized(ContainerResponseContext response) throws IOException {
        Object entity = response.getEntity();
        if (entity instanceof byte[] bytes) {
            return bytes;
        }
        if (entity instanceof Record record && RecordJsonWriter.writes(record.getClass())) {
            // the writer JAX-RS would choose, without looking it up per request
            return RecordJsonWriter.toBytes(record);
        }
        MessageBodyWriter writer = providers.getMessageBodyWriter(response.getEntityClass(), response.getEntityType(),
                response.getEntityAnnotations(), response.getMediaType());
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        writer.writeTo(entity, response.getEntityClass(), response.getEntityType(), response.getEntityAnnotations(),
                response.getMediaType(), new MultivaluedHashMap<String, Object>(), out);
        return out.toByteArray();
    }

    /** Weak comparison (RFC 9110 13.1.2): {@code *}, or any listed tag with the same opaque value. */
    static boolean matches(String ifNoneMatch, String tag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        String opaque = opaque(tag);
        for (String candidate : ifNoneMatch.split(",")) {
            String trimmed = candidate.strip();
            if (trimmed.equals("*") || opaque(trimmed).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
