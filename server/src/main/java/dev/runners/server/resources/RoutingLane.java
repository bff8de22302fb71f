package dev.runners.server.resources;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.runners.api.ApiException;
import dev.runners.api.PagedList;
import dev.runners.api.Problem;
import dev.runners.api.RunnersApi;
import dev.runners.server.auth.AccessFilter;
import dev.runners.server.auth.Caller;
import dev.runners.server.config.ServiceSettings;
import dev.runners.server.edge.OperationRules;
import dev.runners.server.json.JsonBodyReader;
import dev.runners.server.json.JsonbConfiguration;
import dev.runners.server.json.RecordJsonWriter;
import dev.runners.server.metrics.OperationNaming;
import dev.runners.server.problems.ProblemMapper;
import dev.runners.server.ratelimit.AuthFailureLockout;
import dev.runners.server.ratelimit.RateLimits;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.Status;
import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The requests sent most, served on the web server's routing, ahead of JAX-RS, when they are
 * ordinary: the agents' heartbeats and pod reports, and the reads of a runner and of its pods.
 * Jersey's dispatch (routing, injection, filters and interceptors) was more than half of a
 * heartbeat's CPU and the bulk of a read's (issue 7).
 * <p>
 * Ordinary: the method the operation is declared with (no HEAD), no matrix parameter and nothing
 * percent-encoded in the path, no path value that is a fixed segment of another operation's path,
 * only the operation's query parameters, named and valued in unreserved characters (so the text is
 * the value JAX-RS would decode), at most one of each credential header, an Accept header that is
 * JSON or none; a write with one JSON Content-Type and a declared length, a read with no body and at
 * most one If-None-Match.
 * <p>
 * Nothing here decides anything of its own: the operation is {@link RunnersResource}'s, the
 * credentials and the rate limit {@link AccessFilter}'s, the body {@link JsonBodyReader}'s, a
 * failure's answer {@link ProblemMapper}'s, the JSON {@link RecordJsonWriter}'s, the entity tag
 * {@link ConditionalReads}' and the next page's link {@link NextPageLink}'s, as on the JAX-RS path.
 * Whatever is not ordinary (and a refused credential, which counts towards the lockout of its
 * address) is handed on, unread, to JAX-RS, which answers as for every other operation; so is every
 * request while tracing is on (the spans of requests come from JAX-RS) or while an address is
 * locked out or being counted towards it.
 */
@ApplicationScoped
public class RoutingLane {
    private static final Set<String> JSON = Set.of("application/json", "application/json;charset=utf-8",
            "application/json; charset=utf-8", "application/json;charset=\"utf-8\"",
            "application/json; charset=\"utf-8\"");
    private static final Set<String> ACCEPTS_JSON = Set.of("application/json", "application/*", "*/*");
    private static final HeaderName API_KEY = HeaderNames.create("X-API-Key");

    private final AccessFilter access;
    private final AuthFailureLockout lockout;
    private final ProblemMapper problems;
    private final boolean tracing;
    private final Jsonb problemJson = new JsonbConfiguration().getContext(Problem.class);

    /** What an operation does with an ordinary request: its path values by name, its query's values by name. */
    @FunctionalInterface
    private interface Work {
        Success answer(ServerRequest request, Map<String, String> path, Map<String, List<String>> query);
    }

    /**
     * An operation's answer when it succeeds: a status and a body, which is all a JAX-RS Response of
     * these operations holds (building one only to read it back cost ~3% of a pod report).
     */
    private record Success(Status status, Record body) {
        static Success ok(Record body) {
            return new Success(Status.OK_200, body);
        }
    }

    /** One of the lane's operations: the contract's rules of it, and its work. */
    private record Operation(OperationRules rules, Method method, boolean read, boolean tagged, Work work) {
        static Operation of(String name, Work work, Class<?>... parameters) {
            OperationRules rules;
            try {
                rules = OperationRules.of(RunnersApi.class.getMethod(name, parameters));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("the api declares no operation " + name, e);
            }
            Method method = Method.create(rules.httpMethod());
            boolean read = method.equals(Method.GET);
            return new Operation(rules, method, read, read && ConditionalReads.tagged(rules), work);
        }

        /** The first segments of the path, up to its first parameter: what the web server routes on. */
        String prefix() {
            StringBuilder prefix = new StringBuilder();
            for (String segment : rules.pathTemplate()) {
                if (OperationRules.parameterName(segment) != null) {
                    break;
                }
                prefix.append('/').append(segment);
            }
            return prefix.toString();
        }

        /**
         * The path's parameters by name when {@code rawPath} is this operation's path (segment by
         * segment, a parameter any non-empty segment that is no other operation's fixed segment);
         * null when it is not. Compared by hand: the web server's pattern matcher (a regular
         * expression) cost ~4% of a heartbeat's CPU.
         */
        Map<String, String> parameters(String rawPath) {
            List<String> template = rules.pathTemplate();
            String[] segments = rawPath.split("/", -1);
            if (segments.length != template.size() + 1 || !segments[0].isEmpty()) {
                return null;
            }
            Map<String, String> parameters = new HashMap<>(4);
            for (int i = 0; i < template.size(); i++) {
                String parameter = OperationRules.parameterName(template.get(i));
                String sent = segments[i + 1];
                if (parameter == null ? !template.get(i).equals(sent)
                        : sent.isEmpty() || OperationRules.fixedSegment(sent)) {
                    return null;
                }
                if (parameter != null) {
                    parameters.put(parameter, sent);
                }
            }
            return parameters;
        }

        /**
         * The query's values by name when each parameter is one of the operation's, sent as
         * {@code name=value} in unreserved characters only; null when it is not.
         */
        Map<String, List<String>> query(String rawQuery) {
            if (rawQuery == null || rawQuery.isEmpty()) {
                return Map.of();
            }
            Map<String, List<String>> query = new HashMap<>(4);
            for (String pair : rawQuery.split("&", -1)) {
                int equals = pair.indexOf('=');
                if (equals < 0 || !rules.queryParameters().contains(pair.substring(0, equals))
                        || !unreserved(pair, equals + 1)) {
                    return null;
                }
                query.computeIfAbsent(pair.substring(0, equals), name -> new ArrayList<>(1))
                        .add(pair.substring(equals + 1));
            }
            return query;
        }

        private static boolean unreserved(String text, int from) {
            for (int i = from; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.' || c == '_' || c == '~')) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Operation> operations;

    @Inject
    RoutingLane(RunnersResource resource, AccessFilter access, AuthFailureLockout lockout, ProblemMapper problems,
                ServiceSettings settings) {
        this.access = access;
        this.lockout = lockout;
        this.problems = problems;
        this.tracing = settings.tracing();
        this.operations = List.of(
                Operation.of("getRunner", (request, path, query) ->
                        Success.ok(resource.getRunner(path.get("id"))), String.class),
                Operation.of("listRunnerPods", (request, path, query) ->
                        Success.ok(resource.listRunnerPods(path.get("id"), query.get("status"), query.get("limit"),
                                query.get("offset"))), String.class, List.class, List.class, List.class),
                Operation.of("sendHeartbeat", (request, path, query) ->
                        Success.ok(resource.sendHeartbeat(path.get("id"), body(request))),
                        String.class, JsonObject.class),
                Operation.of("reportPod", (request, path, query) -> {
                    RunnersResource.PodReported reported =
                            resource.podReported(path.get("id"), path.get("key"), body(request));
                    return new Success(reported.created() ? Status.CREATED_201 : Status.OK_200, reported.pod());
                }, String.class, String.class, JsonObject.class));
    }

    // after the routing filters (which hold for these requests as for all), before JAX-RS takes the routing
    void register(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) @Initialized(ApplicationScoped.class)
                  Object event, BeanManager beans) {
        if (tracing) {
            return;
        }
        HttpRouting.Builder routing = beans.getExtension(ServerCdiExtension.class).serverRoutingBuilder();
        for (Operation operation : operations) {
            // a request that is not this operation's goes on to the next route: the next operation, or JAX-RS
            routing.route(operation.method(), PathMatchers.prefix(operation.prefix()),
                    (request, response) -> serve(request, response, operation));
        }
    }

    private void serve(ServerRequest request, ServerResponse response, Operation operation) {
        Map<String, String> path = operation.parameters(request.path().rawPath());
        Map<String, List<String>> query = path != null && ordinary(request, operation)
                ? operation.query(request.query().rawValue()) : null;
        if (query == null) {
            response.next();
            return;
        }
        OperationNaming.name(operation.rules().operationId());
        RateLimits.Quota[] quota = new RateLimits.Quota[1];
        Success answer;
        try {
            Caller caller = access.authenticate(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
                    request.headers().first(API_KEY).orElse(null), operation.rules().scope().orElseThrow(),
                    operation.read(), taken -> quota[0] = taken);
            caller.actForCurrentRequest();
            answer = operation.work().answer(request, path, query);
        } catch (ApiException e) {
            if (e.code().status() == 401) {
                // refused credentials count towards their address's lockout: JAX-RS answers, and counts
                response.next();
                return;
            }
            refuse(response, problems.toResponse(e), quota[0]);
            return;
        } catch (RuntimeException e) {
            refuse(response, problems.toResponse(e), quota[0]);
            return;
        }
        send(request, response, operation, query, answer, quota[0]);
    }

    /** The operation's method, no matrix parameter, nothing encoded, the credentials and media types above. */
    private boolean ordinary(ServerRequest request, Operation operation) {
        if (lockout.followsAnyAddress() || !request.prologue().method().equals(operation.method())) {
            return false;
        }
        String path = request.path().rawPath();
        if (path.indexOf(';') >= 0 || path.indexOf('%') >= 0) {
            return false;
        }
        ServerRequestHeaders headers = request.headers();
        if (headers.all(HeaderNames.AUTHORIZATION, List::of).size() > 1 || headers.all(API_KEY, List::of).size() > 1
                || (headers.contains(HeaderNames.ACCEPT) && !(one(headers, HeaderNames.ACCEPT)
                        && ACCEPTS_JSON.contains(headers.get(HeaderNames.ACCEPT).get().toLowerCase(Locale.ROOT))))
                || headers.contains(HeaderNames.TRANSFER_ENCODING)) {
            return false;
        }
        if (operation.read()) {
            // no body: no length, or a length of 0 (as Java's HTTP client sends on a GET)
            return (!headers.contains(HeaderNames.CONTENT_LENGTH) || (one(headers, HeaderNames.CONTENT_LENGTH)
                    && "0".equals(headers.get(HeaderNames.CONTENT_LENGTH).get())))
                    && !headers.contains(HeaderNames.CONTENT_TYPE)
                    && headers.all(HeaderNames.IF_NONE_MATCH, List::of).size() <= 1;
        }
        return one(headers, HeaderNames.CONTENT_TYPE)
                && JSON.contains(headers.get(HeaderNames.CONTENT_TYPE).get().toLowerCase(Locale.ROOT))
                && one(headers, HeaderNames.CONTENT_LENGTH);
    }

    private static boolean one(ServerRequestHeaders headers, HeaderName name) {
        return headers.contains(name) && headers.get(name).allValues().size() == 1;
    }

    /** Read whole, or refused: the web server drains or closes what is left after the answer. */
    private static JsonObject body(ServerRequest request) {
        return JsonBodyReader.readObject(request.content().inputStream(),
                request.headers().get(HeaderNames.CONTENT_LENGTH).get());
    }

    /** A refusal as JAX-RS would write it: the problem's status, headers and problem+json, and the caller's quota. */
    private void refuse(ServerResponse response, Response problem, RateLimits.Quota quota) {
        response.status(Status.create(problem.getStatus()));
        problem.getStringHeaders().forEach((name, values) -> response.header(name, values.toArray(String[]::new)));
        if (quota != null) {
            quota.headers(response::header);
        }
        if (!(problem.getEntity() instanceof Problem entity)) {
            throw new IllegalStateException("the lane does not write " + problem.getEntity());
        }
        response.send(problemJson.toJson(entity).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A success as JAX-RS would write it: its status and JSON body, and the caller's quota; a read's
     * 200 with its entity tag (a 304 when the client holds it) and its next page's link.
     */
    private void send(ServerRequest request, ServerResponse response, Operation operation,
                      Map<String, List<String>> query, Success answer, RateLimits.Quota quota) {
        response.status(answer.status());
        if (quota != null) {
            quota.headers(response::header);
        }
        Record entity = answer.body();
        if (!RecordJsonWriter.writes(entity.getClass())) {
            throw new IllegalStateException("the lane does not write " + entity);
        }
        byte[] bytes = RecordJsonWriter.toBytes(entity);
        boolean ok = answer.status() == Status.OK_200;
        if (ok && entity instanceof PagedList page) {
            NextPageLink.of(page, operation.rules(), request.path().rawPath(), name -> query.getOrDefault(name, List.of()))
                    .ifPresent(link -> response.header(NextPageLink.LINK, link));
        }
        if (ok && operation.tagged()) {
            String tag = ConditionalReads.tagOf(bytes);
            response.header(HeaderNames.ETAG, tag);
            if (ConditionalReads.matches(request.headers().first(HeaderNames.IF_NONE_MATCH).orElse(null), tag)) {
                response.status(Status.NOT_MODIFIED_304);
                response.send();
                return;
            }
        }
        response.header(HeaderNames.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        response.send(bytes);
    }
}
