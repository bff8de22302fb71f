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

import dev.runners.api.AdminOnly;
import dev.runners.api.RequiresScope;
import dev.runners.domain.Scope;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * What the api module's interfaces declare about an operation (its scope, whether it is an admin
 * operation, which query parameters it knows, its path template), found from the implementing
 * resource method.
 */
public final class OperationRules {
    private static final Map<Method, OperationRules> CACHE = new ConcurrentHashMap<>();

    private final Scope scope;
    private final boolean admin;
    private final Set<String> queryParameters;
    private final List<String> pathTemplate;

    private OperationRules(Scope scope, boolean admin, Set<String> queryParameters, List<String> pathTemplate) {
        this.scope = scope;
        this.admin = admin;
        this.queryParameters = queryParameters;
        this.pathTemplate = pathTemplate;
    }

    public static OperationRules of(Method resourceMethod) {
        return CACHE.computeIfAbsent(resourceMethod, OperationRules::read);
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
        return new OperationRules(requires == null ? null : requires.value(), admin, Set.copyOf(names), template);
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
