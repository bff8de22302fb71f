package dev.runners.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;

import dev.runners.client.ApiClient;
import dev.runners.client.ApiException;
import dev.runners.client.model.Problem;

/**
 * Clients generated at build time from the contract file (openapi-generator, library {@code native}),
 * pointed at the server under test. The contract's security schemes ({@code apiKey} and
 * {@code adminToken}) are both http bearer; the native library leaves authentication to the caller,
 * so each {@link ApiClient} carries one token through its request interceptor: one client for the
 * admin token and one per organization key. Build the API objects after the client is configured:
 * they copy its interceptor and mapper when constructed.
 */
public final class GeneratedClients {
    private final String base;

    public GeneratedClients(URI serverUri) {
        String text = serverUri.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** A client that sends no credentials. */
    public ApiClient anonymous() {
        ApiClient client = new ApiClient();
        // every answer is checked against the contract before the generated code reads it
        client.setHttpClientBuilder(ValidatingHttpClient.builder());
        client.updateBaseUri(base);
        client.setConnectTimeout(Duration.ofSeconds(5));
        client.setReadTimeout(Duration.ofSeconds(60));
        client.setObjectMapper(new StrictContractMapper(client.getObjectMapper()));
        return client;
    }

    /** A client that sends {@code Authorization: Bearer <token>} on every request. */
    public ApiClient bearer(String token) {
        ApiClient client = anonymous();
        client.setRequestInterceptor(request -> request.setHeader("Authorization", "Bearer " + token));
        return client;
    }

    /** A client with the admin token of the test configuration. */
    public ApiClient admin() {
        return bearer(TestDatabase.ADMIN_TOKEN);
    }

    /** The problem document of a failed call, read with the client's (strict) mapper. */
    public static Problem problem(ApiClient client, ApiException e) {
        try {
            return ((StrictContractMapper) client.getObjectMapper()).read(e.getResponseBody(), Problem.class);
        } catch (IOException io) {
            throw new UncheckedIOException("the body of the " + e.getCode() + " is not a Problem: " + e.getResponseBody(), io);
        }
    }
}
