package dev.runners.server.edge;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.runners.api.AdminApi;
import dev.runners.api.AdminOnly;
import dev.runners.api.ContractApi;
import dev.runners.api.EventsApi;
import dev.runners.api.RequiresScope;
import dev.runners.api.RunnersApi;
import dev.runners.domain.Scope;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

/**
 * What the api module's interfaces declare about an operation (its name, its scope, whether it is
 * an admin operation, which query parameters it knows, its path template), found from the
 * implementing resource method: the one place that reads an operation off the interfaces.
 */
public final class OperationRules {
    /** The interfaces that declare every operation of the JAX-RS application. */
    static final List<Class<?>> API = List.of(RunnersApi.class, EventsApi.class, AdminApi.class, ContractApi.class);
    private static final Map<Method, OperationRules> CACHE = new ConcurrentHashMap<>();

    private final String operationId;
    private final String httpMethod;
    private final Scope scope;
    private final boolean admin;
    private final Set<String> queryParameters;
    private final List<String> pathTemplate;

    private OperationRules(String operationId, String httpMethod, Scope scope, boolean admin,
                           Set<String> queryParameters, List<String> pathTemplate) {
        this.operationId = operationId;
        this.httpMethod = httpMethod;
        this.scope = scope;
        this.admin = admin;
        this.queryParameters = queryParameters;
        this.pathTemplate = pathTemplate;
    }

    public static OperationRules of(Method resourceMethod) {
        return CACHE.computeIfAbsent(resourceMethod, OperationRules::read);
    }

    /**
     * The rules of the operation {@code request} matched; empty before matching, or when it matched
     * none. Read off the request itself: Jersey's UriInfo of a request is its ResourceInfo (its
     * RoutingContext, Jersey 3.1), where a ResourceInfo injected into a singleton is a per-request
     * proxy, whose lookups cost about 3% of the CPU of a read.
     */
    public static Optional<OperationRules> of(ContainerRequestContext request) {
        if (!(request.getUriInfo() instanceof ResourceInfo matched)) {
            // never with Jersey; refusing here keeps the filters that rely on it from letting a request by
            throw new IllegalStateException("the request's UriInfo does not tell the matched resource method");
        }
        Method method = matched.getResourceMethod();
        return method == null ? Optional.empty() : Optional.of(of(method));
    }

    /** The contract's operationId, which the interface method is named after ({@code listRunners}, …). */
    public String operationId() {
        return operationId;
    }

    /** The HTTP method the operation is served on ({@code GET}, …); null for a method of the interfaces that is no operation. */
    public String httpMethod() {
        return httpMethod;
    }

    public Optional<Scope> scope() {
        return Optional.ofNullable(scope);
    }

    public boolean admin() {
        return admin;
    }

    public Set<String> queryParameters() {
        return queryParameters;
    }

    /** The segments of the operation's path, such as {@code api, v1, runners, {id}, pods}. */
    public List<String> pathTemplate() {
        return pathTemplate;
    }

    /** The parameter a segment of {@link #pathTemplate()} stands for ({@code id} for {@code {id}}); null for a fixed segment. */
    public static String parameterName(String segment) {
        return segment.startsWith("{") && segment.endsWith("}") ? segment.substring(1, segment.length() - 1) : null;
    }

    /**
     * Whether {@code value} is a fixed segment of some operation's path ({@code available},
     * {@code events}, …): sent where a path parameter stands, it may make JAX-RS match another
     * operation, whose fixed segment wins over a parameter.
     */
    public static boolean fixedSegment(String value) {
        return FixedSegments.ALL.contains(value);
    }

    private static final class FixedSegments {
        static final Set<String> ALL = API.stream()
                .flatMap(type -> Arrays.stream(type.getMethods()))
                .map(OperationRules::of)
                .filter(rules -> rules.httpMethod() != null)
                .flatMap(rules -> rules.pathTemplate().stream())
                .filter(segment -> parameterName(segment) == null)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static OperationRules read(Method method) {
        Method declared = declaration(method);
        RequiresScope requires = declared.getAnnotation(RequiresScope.class);
        boolean admin = declared.getDeclaringClass().isAnnotationPresent(AdminOnly.class);
        Set<String> names = new TreeSet<>();
        for (Annotation[] annotations : declared.getParameterAnnotations()) {
            for (Annotation annotation : annotations) {
                if (annotation instanceof QueryParam query) {
                    names.add(query.value());
                }
            }
        }
        String path = pathOf(declared.getDeclaringClass().getAnnotation(Path.class))
                + pathOf(declared.getAnnotation(Path.class));
        List<String> template = Arrays.stream(path.split("/")).filter(segment -> !segment.isEmpty()).toList();
        return new OperationRules(declared.getName(), httpMethod(declared), requires == null ? null : requires.value(), admin,
                Set.copyOf(names), template);
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String pathOf(Path path) {
        return path == null ? "" : "/" + path.value();
    }

    /** The interface method that carries the JAX-RS annotations of {@code method}. */
    private static Method declaration(Method method) {
        for (Class<?> type : method.getDeclaringClass().getInterfaces()) {
            try {
                return type.getMethod(method.getName(), method.getParameterTypes());
            } catch (NoSuchMethodException ignored) {
                // not declared by this interface
            }
        }
        return method;
    }
}
