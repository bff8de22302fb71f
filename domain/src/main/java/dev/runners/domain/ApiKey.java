package dev.runners.domain;

import java.time.Instant;
import java.util.Set;

/** An organization's API key as stored: only a hash of its secret is ever kept. */
public record ApiKey(long id,
                     long organizationId,
                     String name,
                     String prefix,
                     Set<Scope> scopes,
                     Instant createdAt,
                     Instant expiresAt,
                     Instant lastUsedAt,
                     Instant revokedAt) {

    public boolean grants(Scope needed) {
        // asked on every request: a loop, not a stream
        for (Scope scope : scopes) {
            if (scope.grants(needed)) {
                return true;
            }
        }
        return false;
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
