package dev.runners.server.resources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.runners.api.ContractApi;
import dev.runners.domain.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Serves the openapi module's document byte for byte (YAML), or the same tree as JSON. */
@Path("/openapi")
@ApplicationScoped
public class ContractResource implements ContractApi {
    static final String DOCUMENT = "META-INF/openapi.yaml";

    private final byte[] yaml;
    private final String json;

    public ContractResource() {
        try (InputStream in = ContractResource.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the class path");
            }
            yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DOCUMENT, e);
        }
        Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(yaml, StandardCharsets.UTF_8));
        json = toJson(tree).toString();
    }

    @Override
    public Response getOpenApiDocument(List<String> format) {
        String requested = format == null || format.isEmpty() ? "YAML" : single(format);
        return switch (requested) {
            case "YAML" -> Response.ok(yaml, YAML).build();
            case "JSON" -> Response.ok(json, MediaType.APPLICATION_JSON).build();
            default -> throw InvalidInputException.parameter("format", "must be JSON or YAML");
        };
    }

    private static String single(List<String> values) {
        if (values.size() > 1) {
            throw InvalidInputException.parameter("format", "must be given at most once");
        }
        return values.get(0);
    }

    private static JsonValue toJson(Object node) {
        if (node == null) {
            return JsonValue.NULL;
        }
        if (node instanceof Map<?, ?> map) {
            JsonObjectBuilder object = Json.createObjectBuilder();
            map.forEach((k, v) -> object.add(String.valueOf(k), toJson(v)));
            return object.build();
        }
        if (node instanceof List<?> list) {
            JsonArrayBuilder array = Json.createArrayBuilder();
            list.forEach(v -> array.add(toJson(v)));
            return array.build();
        }
        if (node instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (node instanceof Integer || node instanceof Long) {
            return Json.createValue(((Number) node).longValue());
        }
        if (node instanceof java.math.BigInteger big) {
            return Json.createValue(big);
        }
        if (node instanceof java.util.Date date) {
            // an unquoted YAML timestamp; the document means the RFC 3339 text
            return Json.createValue(date.toInstant().toString());
        }
        if (node instanceof Number number) {
            return Json.createValue(number.doubleValue());
        }
        return Json.createValue(String.valueOf(node));
    }
}
