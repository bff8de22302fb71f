package dev.runners.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The generated client's object mapper made as strict as the contract: every schema of the contract
 * has {@code additionalProperties: false}, so an unknown property fails; a {@code required} property
 * that is missing, a {@code null} in a property that is not {@code nullable}, and a repeated item in a
 * {@code uniqueItems} array fail too. Plain Jackson checks none of the last three, and the generated
 * client silently accepts them; a failure here surfaces as the generated {@code ApiException}, whose
 * cause names the property and where it was.
 *
 * <p>What is required is read off the generated models (openapi-generator 7.x, Jackson): a getter
 * annotated {@code @jakarta.annotation.Nonnull} is required and not nullable; one annotated
 * {@code @JsonInclude(ALWAYS)} is required and nullable; the others are optional.
 */
public final class StrictContractMapper extends ObjectMapper {
    private static final String MODEL_PACKAGE = "dev.runners.client.model";

    public StrictContractMapper(ObjectMapper generated) {
        super(generated);
        configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    }

    @Override
    public ObjectMapper copy() {
        return new StrictContractMapper(this);
    }

    /** What every generated operation uses to read a 2xx response body. */
    @Override
    public <T> T readValue(InputStream src, TypeReference<T> valueTypeRef) throws IOException {
        JsonNode tree;
        try (InputStream in = src) {
            tree = readTree(in);
        }
        return checked(tree, getTypeFactory().constructType(valueTypeRef));
    }

    /** Reads a body (an error's problem document, say) as strictly as a response. */
    public <T> T read(String json, Class<T> type) throws IOException {
        return checked(readTree(json), getTypeFactory().constructType(type));
    }

    private <T> T checked(JsonNode tree, JavaType type) throws IOException {
        if (tree == null || tree.isMissingNode()) {
            throw new JsonMappingException(null, "empty body where " + type.getRawClass().getSimpleName() + " was expected");
        }
        check(tree, type, "$");
        return readerFor(type).readValue(tree);
    }

    private void check(JsonNode node, JavaType type, String path) throws JsonMappingException {
        if (node.isNull()) {
            return; // whether null is allowed here was decided by the caller
        }
        if (type.isCollectionLikeType()) {
            if (!node.isArray()) {
                throw new JsonMappingException(null, path + ": expected an array, got " + node.getNodeType());
            }
            Set<JsonNode> seen = new HashSet<>();
            int i = 0;
            for (JsonNode item : node) {
                if (Set.class.isAssignableFrom(type.getRawClass()) && !seen.add(item)) {
                    throw new JsonMappingException(null, path + ": uniqueItems array repeats " + item);
                }
                if (item.isNull()) {
                    throw new JsonMappingException(null, path + "[" + i + "]: null item");
                }
                check(item, type.getContentType(), path + "[" + i + "]");
                i++;
            }
            return;
        }
        Class<?> raw = type.getRawClass();
        if (raw.getPackageName().equals(MODEL_PACKAGE) && !raw.isEnum()) {
            if (!node.isObject()) {
                throw new JsonMappingException(null, path + ": expected an object (" + raw.getSimpleName() + "), got "
                        + node.getNodeType());
            }
            for (Method getter : raw.getMethods()) {
                JsonProperty property = getter.getAnnotation(JsonProperty.class);
                if (property == null || getter.getParameterCount() != 0 || getter.isAnnotationPresent(JsonIgnore.class)
                        || getter.getReturnType() == void.class) {
                    continue;
                }
                String name = property.value();
                boolean notNullable = getter.isAnnotationPresent(jakarta.annotation.Nonnull.class);
                JsonInclude include = getter.getAnnotation(JsonInclude.class);
                boolean required = notNullable || (include != null && include.value() == JsonInclude.Include.ALWAYS);
                String where = path + "." + name;
                if (!node.has(name)) {
                    if (required) {
                        throw new JsonMappingException(null, where + ": required property of " + raw.getSimpleName()
                                + " is missing in " + node);
                    }
                    continue;
                }
                JsonNode value = node.get(name);
                if (value.isNull() && notNullable) {
                    throw new JsonMappingException(null, where + ": null, but " + raw.getSimpleName() + "." + name
                            + " is not nullable");
                }
                check(value, getTypeFactory().constructType(getter.getGenericReturnType()), where);
            }
            // unknown properties are left to FAIL_ON_UNKNOWN_PROPERTIES, but name them with the path here
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!declares(raw, name)) {
                    throw new JsonMappingException(null, path + "." + name + ": not a property of "
                            + raw.getSimpleName() + " (additionalProperties: false)");
                }
            }
        }
    }

    private static boolean declares(Class<?> model, String name) {
        for (Method method : model.getMethods()) {
            JsonProperty property = method.getAnnotation(JsonProperty.class);
            if (property != null && property.value().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
