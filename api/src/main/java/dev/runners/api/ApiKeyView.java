package dev.runners.api;

import java.time.Instant;
import java.util.List;

import dev.runners.domain.ApiKey;
import dev.runners.domain.Scope;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** An API key without its secret. */
@JsonbNillable
@JsonbPropertyOrder({"id", "name", "prefix", "scopes", "createdAt", "expiresAt", "lastUsedAt", "revokedAt"})
public record ApiKeyView(long id, String name, String prefix, List<String> scopes, Instant createdAt,
                         Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    public static ApiKeyView of(ApiKey key) {
        return new ApiKeyView(key.id(), key.name(), key.prefix(),
                key.scopes().stream().map(Scope::wireName).sorted().toList(),
                key.createdAt(), key.expiresAt(), key.lastUsedAt(), key.revokedAt());
    }
}
