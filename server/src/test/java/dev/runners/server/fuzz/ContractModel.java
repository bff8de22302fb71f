package dev.runners.server.fuzz;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The operations of the published OpenAPI document, read with swagger-parser (which the contract
 * validator brings along) with every {@code $ref} resolved, in the order of the document.
 */
final class ContractModel {
    /** The methods an HTTP client of the API may send to any path. */
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /** A path, query or header parameter. */
    record Param(String name, String in, boolean required, Schema<?> schema) {
        boolean repeatable() {
            return "array".equals(schema.getType());
        }
    }

    /** One operation and what its description in the document says about it. */
    record Operation(String id, String method, String path, List<Param> pathParams, List<Param> queryParams,
                     List<Param> headerParams, Schema<?> body, boolean bodyRequired, List<String> bodyMediaTypes,
                     List<String> security, List<String> requiredScopes, Map<Integer, Set<String>> codesByStatus) {
        boolean hasBody() {
            return body != null;
        }

        boolean secured() {
            return !security.isEmpty();
        }

        /** The machine codes the document's examples show for this status (empty when it shows none). */
        Set<String> codes(int status) {
            return codesByStatus.getOrDefault(status, Set.of());
        }

        boolean declares(int status) {
            return codesByStatus.containsKey(status);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final List<Operation> operations;
    private final Map<String, Set<String>> methodsByPath;
    private final Set<String> problemCodes;

    private ContractModel(List<Operation> operations, Map<String, Set<String>> methodsByPath,
                          Set<String> problemCodes) {
        this.operations = operations;
        this.methodsByPath = methodsByPath;
        this.problemCodes = problemCodes;
    }

    static ContractModel read(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        OpenAPI api = result.getOpenAPI();
        if (api == null || (result.getMessages() != null && !result.getMessages().isEmpty())) {
            throw new IllegalStateException("the OpenAPI document does not parse: " + result.getMessages());
        }
        List<String> globalSecurity = schemes(api.getSecurity());
        List<Operation> operations = new ArrayList<>();
        Map<String, Set<String>> methodsByPath = new LinkedHashMap<>();
        api.getPaths().forEach((path, item) -> {
            Set<String> methods = new LinkedHashSet<>();
            item.readOperationsMap().forEach((httpMethod, operation) -> {
                String method = httpMethod.name().toUpperCase(Locale.ROOT);
                methods.add(method);
                operations.add(operation(path, method, item, operation, globalSecurity));
            });
            methodsByPath.put(path, methods);
        });
        @SuppressWarnings("unchecked")
        Schema<Object> code = (Schema<Object>) api.getComponents().getSchemas().get("Problem").getProperties()
                .get("code");
        Set<String> codes = new TreeSet<>();
        code.getEnum().forEach(c -> codes.add(String.valueOf(c)));
        return new ContractModel(List.copyOf(operations), methodsByPath, Set.copyOf(codes));
    }

    List<Operation> operations() {
        return operations;
    }

    Map<String, Set<String>> methodsByPath() {
        return methodsByPath;
    }

    /** The {@code code} values the document's Problem schema lists. */
    Set<String> problemCodes() {
        return problemCodes;
    }

    private static Operation operation(String path, String method, PathItem item,
                                       io.swagger.v3.oas.models.Operation operation, List<String> globalSecurity) {
        Map<String, Param> parameters = new LinkedHashMap<>();
        for (List<Parameter> list : java.util.Arrays.asList(item.getParameters(), operation.getParameters())) {
            if (list != null) {
                for (Parameter p : list) {
                    parameters.put(p.getIn() + ":" + p.getName(),
                            new Param(p.getName(), p.getIn(), Boolean.TRUE.equals(p.getRequired()), p.getSchema()));
                }
            }
        }
        List<Param> pathParams = parameters.values().stream().filter(p -> p.in().equals("path")).toList();
        List<Param> queryParams = parameters.values().stream().filter(p -> p.in().equals("query")).toList();
        List<Param> headerParams = parameters.values().stream().filter(p -> p.in().equals("header")).toList();
        for (Param p : parameters.values()) {
            if (p.in().equals("cookie") && p.required()) {
                throw new IllegalStateException("the fuzzer sends no cookies (" + p.name() + " of " + method + " "
                        + path + ")");
            }
        }
        Schema<?> body = null;
        boolean bodyRequired = false;
        List<String> mediaTypes = List.of();
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            mediaTypes = List.copyOf(operation.getRequestBody().getContent().keySet());
            body = operation.getRequestBody().getContent().values().iterator().next().getSchema();
            bodyRequired = Boolean.TRUE.equals(operation.getRequestBody().getRequired());
        }
        List<String> security = operation.getSecurity() == null ? globalSecurity : schemes(operation.getSecurity());
        List<String> scopes = new ArrayList<>();
        Object required = operation.getExtensions() == null ? null : operation.getExtensions().get("x-required-scopes");
        if (required instanceof List<?> list) {
            list.forEach(s -> scopes.add(String.valueOf(s)));
        }
        Map<Integer, Set<String>> codes = new TreeMap<>();
        operation.getResponses().forEach((status, response) -> {
            if (status.matches("\\d{3}")) {
                codes.put(Integer.parseInt(status), exampleCodes(response));
            }
        });
        return new Operation(operation.getOperationId(), method, path, pathParams, queryParams, headerParams, body,
                bodyRequired, mediaTypes, security, List.copyOf(scopes), codes);
    }

    private static List<String> schemes(List<SecurityRequirement> requirements) {
        List<String> names = new ArrayList<>();
        if (requirements != null) {
            requirements.forEach(r -> names.addAll(r.keySet()));
        }
        return List.copyOf(names);
    }

    /** The {@code code} members of the response's problem examples. */
    private static Set<String> exampleCodes(ApiResponse response) {
        Set<String> codes = new TreeSet<>();
        if (response.getContent() == null) {
            return codes;
        }
        MediaType problem = response.getContent().get("application/problem+json");
        if (problem == null || problem.getExamples() == null) {
            return codes;
        }
        for (Example example : problem.getExamples().values()) {
            Object value = example.getValue();
            if (value instanceof JsonNode node && node.has("code")) {
                codes.add(node.get("code").asText());
            } else if (value instanceof Map<?, ?> map && map.get("code") != null) {
                codes.add(String.valueOf(map.get("code")));
            }
        }
        return codes;
    }

    /** Whether {@code rawPath} (no query) is one the document describes, for any method. */
    boolean describes(String rawPath) {
        return methodsByPath.keySet().stream().anyMatch(template -> matches(template, rawPath));
    }

    /** The operation a request reaches; a literal segment wins over a parameter, as in JAX-RS. */
    Optional<Operation> find(String method, String rawPath) {
        return operations.stream()
                .filter(op -> op.method().equals(method) && matches(op.path(), rawPath))
                .max(Comparator.comparingLong(op -> op.path().chars().filter(c -> c == '{').count() * -1));
    }

    private static boolean matches(String template, String rawPath) {
        return rawPath.matches(Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q"));
    }

    /** Fails when a schema of the document uses a pattern the generator cannot follow. */
    void checkPatterns() {
        List<Schema<?>> all = new ArrayList<>();
        for (Operation op : operations) {
            op.pathParams().forEach(p -> collect(p.schema(), all));
            op.queryParams().forEach(p -> collect(p.schema(), all));
            collect(op.body(), all);
        }
        all.stream().filter(s -> s.getPattern() != null).forEach(s -> PatternStrings.of(s.getPattern()));
    }

    private static void collect(Schema<?> schema, List<Schema<?>> into) {
        if (schema == null) {
            return;
        }
        into.add(schema);
        if (schema.getItems() != null) {
            collect(schema.getItems(), into);
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(s -> collect(s, into));
        }
    }
}
