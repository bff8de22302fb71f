package dev.runners.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * Checks every response a test receives (status, content type, headers, body) against the
 * published OpenAPI document, so that an answer the document does not describe fails the test.
 */
public final class ContractValidator {
    /** The document: the openapi module's file, as it ships on the server's class path. */
    public static final String DOCUMENT = "META-INF/openapi.yaml";

    /** Responses to paths or methods that the document has no entry for; it cannot describe them. */
    private static final Set<String> UNDESCRIBABLE = Set.of(
            "validation.request.path.missing", "validation.response.path.missing",
            "validation.request.operation.notAllowed", "validation.response.operation.notAllowed");

    private static final OpenApiInteractionValidator VALIDATOR =
            OpenApiInteractionValidator.createForInlineApiSpecification(document()).build();

    private ContractValidator() {
    }

    public static String document() {
        try (InputStream in = ContractValidator.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws AssertionError listing every way the response departs from the document */
    public static void check(String method, URI uri, HttpResponse<String> response) {
        check(method, uri, response.statusCode(), response.headers(), response.body());
    }

    /** @throws AssertionError listing every way the response departs from the document */
    public static void check(String method, URI uri, int status, HttpHeaders headers, String body) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(status);
        headers.map().forEach((name, values) -> builder.withHeader(name, values));
        if (!body.isEmpty()) {
            builder.withBody(body);
        }
        ValidationReport report = VALIDATOR.validateResponse(uri.getPath(),
                Request.Method.valueOf(method.toUpperCase(Locale.ROOT)), builder.build());
        List<ValidationReport.Message> problems = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .filter(m -> !UNDESCRIBABLE.contains(m.getKey()))
                .filter(m -> !nullWhereNullable(m, body))
                .toList();
        if (!problems.isEmpty()) {
            throw new AssertionError("The response to " + method + " " + uri.getPath() + " (" + status
                    + ") is not what the OpenAPI document describes:\n"
                    + problems.stream().map(m -> "  - [" + m.getKey() + "] " + m.getMessage())
                    .collect(Collectors.joining("\n"))
                    + "\nbody: " + abbreviate(body));
        }
    }

    private static final java.util.regex.Pattern INSTANCE_PATH = java.util.regex.Pattern.compile("^\\[Path '([^']*)'\\]");

    /**
     * The validator (2.44.1) applies {@code allOf} to a null value even when the schema is
     * {@code nullable: true}, the OpenAPI 3.0 way of making a referenced object nullable (the
     * Event's {@code runner} and {@code pod}). Such a report about a value that is null is dropped;
     * the document itself is checked by the linters, which read it correctly.
     */
    private static boolean nullWhereNullable(ValidationReport.Message message, String body) {
        if (!message.getKey().equals("validation.response.body.schema.allOf") || body.isEmpty()) {
            return false;
        }
        java.util.regex.Matcher path = INSTANCE_PATH.matcher(message.getMessage());
        if (!path.find()) {
            return false;
        }
        try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(body))) {
            jakarta.json.JsonStructure document = reader.read();
            return jakarta.json.Json.createPointer(path.group(1)).getValue(document) == jakarta.json.JsonValue.NULL;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String abbreviate(String body) {
        return body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
    }
}
