package dev.runners.server.support;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * A real HTTP client for the server under test; every call goes over the network, and every
 * response is checked against the published OpenAPI document ({@link ContractValidator}).
 */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final URI base;

    public Http(URI base) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    public URI base() {
        return base;
    }

    public Call call(String method, String path) {
        return new Call(method, path);
    }

    public Reply get(String path, String... headers) {
        return call("GET", path).headers(headers).send();
    }

    public Reply post(String path, String json, String... headers) {
        return call("POST", path).json(json).headers(headers).send();
    }

    public Reply put(String path, String json, String... headers) {
        return call("PUT", path).json(json).headers(headers).send();
    }

    public Reply delete(String path, String... headers) {
        return call("DELETE", path).headers(headers).send();
    }

    /** One request being built. */
    public final class Call {
        private final String method;
        private final String path;
        private final List<String> headers = new ArrayList<>();
        private HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** Name/value pairs. */
        public Call headers(String... namesAndValues) {
            headers.addAll(List.of(namesAndValues));
            return this;
        }

        public Call json(String json) {
            headers.add("Content-Type");
            headers.add("application/json");
            body = HttpRequest.BodyPublishers.ofString(json);
            return this;
        }

        public Call body(String contentType, HttpRequest.BodyPublisher publisher) {
            if (contentType != null) {
                headers.add("Content-Type");
                headers.add(contentType);
            }
            body = publisher;
            return this;
        }

        public Reply send() {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(60))
                    .method(method, body);
            for (int i = 0; i < headers.size(); i += 2) {
                request.header(headers.get(i), headers.get(i + 1));
            }
            try {
                HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
                ContractValidator.check(method, response.uri(), response);
                return new Reply(method, path, response);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(method + " " + path + " failed: " + e, e);
            }
        }
    }

    /** A response, with the request that produced it for readable failures. */
    public record Reply(String method, String path, HttpResponse<String> response) {
        public int status() {
            return response.statusCode();
        }

        public String body() {
            return response.body();
        }

        public Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        public String contentType() {
            return header("Content-Type").orElse("");
        }

        public JsonObject json() {
            try (var reader = Json.createReader(new StringReader(response.body()))) {
                return reader.readObject();
            }
        }

        /** The problem+json {@code code}. */
        public String code() {
            return json().getString("code");
        }

        /** The names in problem+json {@code errors} ({@code parameter} or {@code field}). */
        public List<String> errorNames() {
            List<String> names = new ArrayList<>();
            JsonArray errors = json().getJsonArray("errors");
            if (errors != null) {
                for (JsonValue error : errors) {
                    JsonObject e = error.asJsonObject();
                    names.add(e.containsKey("parameter") ? e.getString("parameter") : e.getString("field"));
                }
            }
            return names;
        }

        @Override
        public String toString() {
            return method + " " + path + " -> " + status() + " " + body();
        }
    }
}
