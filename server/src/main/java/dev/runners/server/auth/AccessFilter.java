package dev.runners.server.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.runners.api.ApiException;
import dev.runners.api.ErrorCode;
import dev.runners.domain.ApiKey;
import dev.runners.domain.ApiKeyRepository;
import dev.runners.domain.ApiKeySecret;
import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.Scope;
import dev.runners.server.config.ServiceSettings;
import dev.runners.server.edge.OperationRules;
import dev.runners.server.ratelimit.RateLimits;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Authentication and authorization of every operation: organization API keys (looked up by hash
 * on every request through {@link CachedApiKeys}, so a revocation takes effect within 0.5 s on
 * every instance, at once on this one) and the admin token.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
@Singleton
public class AccessFilter implements ContainerRequestFilter {
    static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";
    /** last_used_at is written at most this often per key and instance, not on every request. */
    private static final Duration USE_RECORDING_INTERVAL = Duration.ofMinutes(1);

    private final ApiKeyRepository apiKeys;
    private final AvailabilityPolicy policy;
    private final Optional<String> adminToken;
    private final RateLimits rateLimits;
    private final Map<Long, Instant> lastRecordedUse = new ConcurrentHashMap<>();

    @Inject
    AccessFilter(ApiKeyRepository apiKeys, AvailabilityPolicy policy, ServiceSettings settings,
                 RateLimits rateLimits) {
        this.apiKeys = apiKeys;
        this.policy = policy;
        this.adminToken = settings.adminToken();
        this.rateLimits = rateLimits;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<OperationRules> matched = OperationRules.of(request);
        if (matched.isEmpty()) {
            return;
        }
        OperationRules rules = matched.get();
        if (rules.admin()) {
            checkAdmin(request);
            rateLimits.admit(request, RateLimits.Holder.ADMIN);
        } else if (rules.scope().isPresent()) {
            boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
            authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION), request.getHeaderString(API_KEY_HEADER),
                    rules.scope().get(), read, quota -> rateLimits.attach(request, quota)).attachTo(request);
        }
    }

    private void checkAdmin(ContainerRequestContext request) {
        if (adminToken.isEmpty()) {
            // without a configured token the admin API does not exist
            throw new ApiException(ErrorCode.NOT_FOUND);
        }
        if (request.getHeaderString(HttpHeaders.AUTHORIZATION) == null) {
            throw new ApiException(ErrorCode.AUTH_REQUIRED, "send the admin token as Authorization: Bearer <token>");
        }
        // any other credential, including a malformed header, is a wrong token
        String presented = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)).orElse("");
        if (!ApiKeySecret.constantTimeEquals(presented, adminToken.get())) {
            throw new ApiException(ErrorCode.INVALID_ADMIN_TOKEN);
        }
    }

    /**
     * The caller an organization API key stands for, from the request's {@code Authorization} and
     * {@code X-API-Key} headers (null when absent), once its request is admitted by the key's rate
     * limit ({@code quotas} gets the key's quota, a refusal's too). Nothing is taken from the rate
     * limit when the credentials are refused (401), so a request may be handed on after a 401.
     *
     * @throws ApiException 401 for missing, unknown, revoked or expired credentials, 403 for a scope the key lacks
     * @throws dev.runners.server.ratelimit.RateLimited when the key's bucket is empty
     */
    public Caller authenticate(String authorization, String apiKeyHeader, Scope needed, boolean read,
                               Consumer<RateLimits.Quota> quotas) {
        Optional<String> bearer = bearer(authorization);
        Optional<String> header = Optional.ofNullable(apiKeyHeader)
                .map(String::strip)
                .filter(s -> !s.isEmpty());
        if (bearer.isPresent() && header.isPresent() && !bearer.get().equals(header.get())) {
            throw new ApiException(ErrorCode.INVALID_API_KEY, "Authorization and X-API-Key carry different keys");
        }
        String secret = bearer.or(() -> header)
                .orElseThrow(() -> new ApiException(ErrorCode.AUTH_REQUIRED,
                        "send an API key as Authorization: Bearer <key> or X-API-Key: <key>"));
        ApiKey key = Optional.of(secret)
                .filter(ApiKeySecret::wellFormed)
                .flatMap(s -> apiKeys.findBySecretHash(ApiKeySecret.hash(s)))
                .filter(k -> !k.revoked())
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_API_KEY));
        Instant now = policy.now();
        if (key.expiredAt(now)) {
            throw new ApiException(ErrorCode.API_KEY_EXPIRED, "the API key expired at " + key.expiresAt());
        }
        // every request of a known key counts, a refused scope too
        rateLimits.admit(RateLimits.Holder.apiKey(key.id()), read, quotas);
        if (!key.grants(needed)) {
            throw new ApiException(ErrorCode.INSUFFICIENT_SCOPE,
                    "this operation needs an API key with scope " + needed.wireName());
        }
        recordUse(key, now);
        return new Caller(key.organizationId(), key.id());
    }

    private void recordUse(ApiKey key, Instant now) {
        Instant staleBefore = now.minus(USE_RECORDING_INTERVAL);
        Instant recorded = lastRecordedUse.get(key.id());
        if (recorded != null && recorded.isAfter(staleBefore)) {
            return;
        }
        if (key.lastUsedAt() == null || key.lastUsedAt().isBefore(staleBefore)) {
            apiKeys.recordUse(key.id(), now, staleBefore);
        }
        lastRecordedUse.put(key.id(), now);
    }

    private static Optional<String> bearer(String header) {
        if (header == null || header.length() < BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String value = header.substring(BEARER.length()).strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
