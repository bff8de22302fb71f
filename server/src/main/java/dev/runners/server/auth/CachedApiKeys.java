package dev.runners.server.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.runners.domain.ApiKey;
import dev.runners.domain.ApiKeyRepository;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.Scope;

/**
 * API keys as {@link AccessFilter} looks them up on every request, without a database round trip
 * each time: a key found by the SHA-256 of its secret is kept for {@link #FRESH_FOR}, then read
 * again. So a key revoked on another instance stops working here within that time (well under the
 * contract's 1 s); one revoked through this instance stops at once. Expiry is not cached: the
 * caller checks {@code expires_at} against the clock on every request.
 * <p>
 * An entry is found only by the hash of the whole secret and holds that key's own organization,
 * so it cannot answer for any other key or organization. Unknown and revoked keys are never
 * kept (each costs a lookup, as before), so guessing cannot fill the cache.
 */
public final class CachedApiKeys implements ApiKeyRepository {
    static final Duration FRESH_FOR = Duration.ofMillis(500);
    private static final int MAX_ENTRIES = 10_000;

    private final ApiKeyRepository store;
    /** Elapsed time, not the business clock (tests freeze that one); System.nanoTime in service. */
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Entry> byHash = new ConcurrentHashMap<>();
    /** Moves on every revocation here, so that a read that raced with it is not kept. */
    private final AtomicLong revocations = new AtomicLong();

    private record Entry(ApiKey key, long readAt) {
    }

    public CachedApiKeys(ApiKeyRepository store) {
        this(store, System::nanoTime);
    }

    CachedApiKeys(ApiKeyRepository store, LongSupplier nanoTime) {
        this.store = store;
        this.nanoTime = nanoTime;
    }

    @Override
    public Optional<ApiKey> findBySecretHash(String secretHash) {
        long now = nanoTime.getAsLong();
        Entry entry = byHash.get(secretHash);
        if (entry != null && now - entry.readAt() < FRESH_FOR.toNanos()) {
            return Optional.of(entry.key());
        }
        // fresh from the time the read started: whatever was committed before it is seen
        long revoked = revocations.get();
        Optional<ApiKey> found = store.findBySecretHash(secretHash);
        if (found.isPresent() && !found.get().revoked() && revocations.get() == revoked) {
            if (byHash.size() >= MAX_ENTRIES) {
                byHash.clear();
            }
            byHash.put(secretHash, new Entry(found.get(), now));
        } else {
            byHash.remove(secretHash);
        }
        return found;
    }

    @Override
    public Optional<ApiKey> revoke(long organizationId, long keyId, Instant now) {
        Optional<ApiKey> revoked = store.revoke(organizationId, keyId, now);
        revocations.incrementAndGet();
        byHash.values().removeIf(entry -> entry.key().id() == keyId);
        return revoked;
    }

    @Override
    public ApiKey create(long organizationId, String name, String prefix, String secretHash, Set<Scope> scopes,
                         Instant expiresAt, Instant now) {
        return store.create(organizationId, name, prefix, secretHash, scopes, expiresAt, now);
    }

    @Override
    public Page<ApiKey> page(long organizationId, PageRequest page) {
        return store.page(organizationId, page);
    }

    @Override
    public void recordUse(long keyId, Instant usedAt, Instant staleBefore) {
        store.recordUse(keyId, usedAt, staleBefore);
    }
}
