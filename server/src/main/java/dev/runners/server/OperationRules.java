package dev.runners.server;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.runners.api.AdminOnly;
import dev.runners.api.RequiresScope;
import dev.runners.domain.Scope;
import jakarta.ws.rs.QueryParam;

/**
 * What the api module's interfaces declare about an operation (its scope, whether it is an admin
 * operation, which query parameters it knows), found from the implementing resource method.
 */
final class OperationRules {
    private static final Map<Method, OperationRules> CACHE = new ConcurrentHashMap<>();

    private final Scope scope;
    private final boolean admin;
    private final Set<String> queryParameters;

    private OperationRules(Scope scope, boolean admin, Set<String> queryParameters) {
        this.scope = scope;
        this.admin = admin;
        this.queryParameters = queryParameters;
    }

    static OperationRules of(Method resourceMethod) {
        return CACHE.computeIfAbsent(resourceMethod, OperationRules::read);
    }

    Optional<Scope> scope() {
        return Optional.ofNullable(scope);
    }

    boolean admin() {
        return admin;
    }

    Set<String> queryParameters() {
        return queryParameters;
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
        return new OperationRules(requires == null ? null : requires.value(), admin, Set.copyOf(names));
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
