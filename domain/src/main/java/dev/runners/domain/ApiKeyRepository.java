package dev.runners.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** API keys, found by the hash of their secret; the secret itself is never given here. */
public interface ApiKeyRepository {

    ApiKey create(long organizationId, String name, String prefix, String secretHash, Set<Scope> scopes,
                  Instant expiresAt, Instant now);

    Optional<ApiKey> findBySecretHash(String secretHash);

    /** The organization's keys by id, revoked and expired ones included, with their total. */
    Page<ApiKey> page(long organizationId, PageRequest page);

    /** @return the key after revocation (idempotent), or empty when it does not exist */
    Optional<ApiKey> revoke(long organizationId, long keyId, Instant now);

    /** Records a use unless one was recorded after {@code staleBefore}. */
    void recordUse(long keyId, Instant usedAt, Instant staleBefore);
}
