package dev.runners.server.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import javax.net.ssl.SSLSession;

/**
 * A response whose body was read whole, apart from the response, and checked against the contract
 * ({@link ContractValidator}): the generated client's answers ({@link ValidatingHttpClient}) and a
 * refused event stream ({@link EventStream}) are read this one way.
 */
record CheckedResponse<T>(HttpResponse<?> raw, T body) implements HttpResponse<T> {

    /** Checks {@code raw} with {@code body}, the bytes read of it, against the contract. */
    static CheckedResponse<String> checked(String method, HttpResponse<?> raw, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        ContractValidator.check(method, raw.uri(), raw.statusCode(), raw.headers(), text);
        return new CheckedResponse<>(raw, text);
    }

    /** Reads the rest of a streamed body and checks the response against the contract. */
    static CheckedResponse<String> read(String method, HttpResponse<InputStream> streamed) throws IOException {
        try (InputStream body = streamed.body()) {
            return checked(method, streamed, body.readAllBytes());
        }
    }

    /** The same response with its body in another form. */
    <U> CheckedResponse<U> as(U decoded) {
        return new CheckedResponse<>(raw, decoded);
    }

    @Override
    public int statusCode() {
        return raw.statusCode();
    }

    @Override
    public HttpRequest request() {
        return raw.request();
    }

    @Override
    public Optional<HttpResponse<T>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
        return raw.headers();
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return raw.sslSession();
    }

    @Override
    public URI uri() {
        return raw.uri();
    }

    @Override
    public HttpClient.Version version() {
        return raw.version();
    }
}
