package dev.runners.server.resources;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.runners.api.ApiException;
import dev.runners.api.Problem;
import dev.runners.api.RunnersApi;
import dev.runners.domain.Scope;
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
 * The two requests every runner agent sends all day, its heartbeat and its pod reports, served on
 * the web server's routing, ahead of JAX-RS, when they are ordinary: no query, no matrix parameter,
 * a JSON body of a declared length, one set of credentials that is accepted. Jersey's dispatch
 * (routing, injection, filters and interceptors) was more than half of a heartbeat's CPU (issue 7).
 * <p>
 * Nothing here decides anything of its own: the operation is {@link RunnersResource}'s, the
 * credentials and the rate limit {@link AccessFilter}'s, the body {@link JsonBodyReader}'s, a
 * failure's answer {@link ProblemMapper}'s and the JSON {@link RecordJsonWriter}'s, as on the JAX-RS
 * path. Whatever is not ordinary (and a refused credential, which counts towards the lockout of its
 * address) is handed on, unread, to JAX-RS, which answers as for every other operation; so is every
 * request while tracing is on (the spans of requests come from JAX-RS) or while an address is
 * locked out or being counted towards it.
 */
@ApplicationScoped
public class AgentLane {
    private static final Set<String> JSON = Set.of("application/json", "application/json;charset=utf-8",
            "application/json; charset=utf-8", "application/json;charset=\"utf-8\"",
            "application/json; charset=\"utf-8\"");
    private static final HeaderName API_KEY = HeaderNames.create("X-API-Key");
    private static final Map<Integer, Status> STATUSES = Map.of(200, Status.OK_200, 201, Status.CREATED_201);

    private final RunnersResource resource;
    private final AccessFilter access;
    private final AuthFailureLockout lockout;
    private final ProblemMapper problems;
    private final boolean tracing;
    private final Jsonb problemJson = new JsonbConfiguration().getContext(Problem.class);

    /** One of the lane's operations, with the contract's rules of it. */
    private record Operation(OperationRules rules) {
        static Operation of(String name, Class<?>... parameters) {
            try {
                return new Operation(OperationRules.of(RunnersApi.class.getMethod(name, parameters)));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("the api declares no operation " + name, e);
            }
        }

        Scope scope() {
            return rules.scope().orElseThrow();
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
         * segment, a parameter any non-empty segment); null when it is not. Compared by hand: the web
         * server's pattern matcher (a regular expression) cost ~4% of a heartbeat's CPU.
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
                if (parameter == null ? !template.get(i).equals(sent) : sent.isEmpty()) {
                    return null;
                }
                if (parameter != null) {
                    parameters.put(parameter, sent);
                }
            }
            return parameters;
        }
    }

    private final Operation heartbeat = Operation.of("sendHeartbeat", String.class, JsonObject.class);
    private final Operation podReport = Operation.of("reportPod", String.class, String.class, JsonObject.class);

    @Inject
    AgentLane(RunnersResource resource, AccessFilter access, AuthFailureLockout lockout, ProblemMapper problems,
              ServiceSettings settings) {
        this.resource = resource;
        this.access = access;
        this.lockout = lockout;
        this.problems = problems;
        this.tracing = settings.tracing();
    }

    // after the routing filters (which hold for these requests as for all), before JAX-RS takes the routing
    void register(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) @Initialized(ApplicationScoped.class)
                  Object event, BeanManager beans) {
        if (tracing) {
            return;
        }
        beans.getExtension(ServerCdiExtension.class).serverRoutingBuilder()
                .route(Method.POST, PathMatchers.prefix(heartbeat.prefix()), this::heartbeat)
                .route(Method.PUT, PathMatchers.prefix(podReport.prefix()), this::podReport);
    }

    private void heartbeat(ServerRequest request, ServerResponse response) {
        serve(request, response, heartbeat, path -> {
            JsonObject body = body(request);
            return Response.ok(resource.sendHeartbeat(path.get("id"), body)).build();
        });
    }

    private void podReport(ServerRequest request, ServerResponse response) {
        serve(request, response, podReport, path -> {
            JsonObject body = body(request);
            return resource.reportPod(path.get("id"), path.get("key"), body);
        });
    }

    private void serve(ServerRequest request, ServerResponse response, Operation operation,
                       Function<Map<String, String>, Response> work) {
        Map<String, String> path = ordinary(request) ? operation.parameters(request.path().rawPath()) : null;
        if (path == null) {
            response.next();
            return;
        }
        OperationNaming.name(operation.rules().operationId());
        RateLimits.Quota[] quota = new RateLimits.Quota[1];
        Response answer;
        try {
            Caller caller = access.authenticate(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null),
                    request.headers().first(API_KEY).orElse(null), operation.scope(), false,
                    taken -> quota[0] = taken);
            caller.actForCurrentRequest();
            answer = work.apply(path);
        } catch (ApiException e) {
            if (e.code().status() == 401) {
                // refused credentials count towards their address's lockout: JAX-RS answers, and counts
                response.next();
                return;
            }
            answer = problems.toResponse(e);
        } catch (RuntimeException e) {
            answer = problems.toResponse(e);
        }
        send(response, answer, quota[0]);
    }

    /** No query or matrix parameter, one JSON Content-Type, a declared length, one set of credentials. */
    private boolean ordinary(ServerRequest request) {
        if (lockout.followsAnyAddress()) {
            return false;
        }
        String query = request.query().rawValue();
        String path = request.path().rawPath();
        if ((query != null && !query.isEmpty()) || path.indexOf(';') >= 0 || path.indexOf('%') >= 0) {
            return false;
        }
        ServerRequestHeaders headers = request.headers();
        return one(headers, HeaderNames.CONTENT_TYPE)
                && JSON.contains(headers.get(HeaderNames.CONTENT_TYPE).get().toLowerCase(Locale.ROOT))
                && one(headers, HeaderNames.CONTENT_LENGTH)
                && !headers.contains(HeaderNames.TRANSFER_ENCODING)
                && headers.all(HeaderNames.AUTHORIZATION, List::of).size() <= 1
                && headers.all(API_KEY, List::of).size() <= 1;
    }

    private static boolean one(ServerRequestHeaders headers, HeaderName name) {
        return headers.contains(name) && headers.get(name).allValues().size() == 1;
    }

    /** Read whole, or refused: the web server drains or closes what is left after the answer. */
    private static JsonObject body(ServerRequest request) {
        return JsonBodyReader.readObject(request.content().inputStream(),
                request.headers().get(HeaderNames.CONTENT_LENGTH).get());
    }

    /** The answer as JAX-RS would write it: its status, headers and entity, and the caller's quota. */
    private void send(ServerResponse response, Response answer, RateLimits.Quota quota) {
        response.status(STATUSES.getOrDefault(answer.getStatus(), Status.create(answer.getStatus())));
        answer.getStringHeaders().forEach((name, values) -> response.header(name, values.toArray(String[]::new)));
        if (quota != null) {
            quota.headers(response::header);
        }
        Object entity = answer.getEntity();
        byte[] bytes;
        if (entity instanceof Problem problem) {
            bytes = problemJson.toJson(problem).getBytes(StandardCharsets.UTF_8);
        } else if (entity instanceof Record record && RecordJsonWriter.writes(record.getClass())) {
            if (answer.getMediaType() == null) {
                response.header(HeaderNames.CONTENT_TYPE, MediaType.APPLICATION_JSON);
            }
            bytes = RecordJsonWriter.toBytes(record);
        } else {
            throw new IllegalStateException("the lane does not write " + entity);
        }
        response.send(bytes);
    }
}
