package dev.runners.api;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A new key and its secret; the only response that ever carries the secret. */
@JsonbPropertyOrder({"apiKey", "secret"})
public record CreatedApiKey(ApiKeyView apiKey, String secret) {
}
