package dev.runners.server.resources;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import dev.runners.api.AdminApi;
import dev.runners.api.ApiKeyList;
import dev.runners.api.ApiKeyView;
import dev.runners.api.CreatedApiKey;
import dev.runners.api.OrganizationEnvelope;
import dev.runners.api.OrganizationView;
import dev.runners.api.RequestBodies;
import dev.runners.domain.ApiKey;
import dev.runners.domain.ApiKeyRepository;
import dev.runners.domain.ApiKeySecret;
import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.FieldRules;
import dev.runners.domain.InvalidInputException;
import dev.runners.domain.Organization;
import dev.runners.domain.OrganizationRepository;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.PageRules;
import dev.runners.domain.QueryValues;
import dev.runners.domain.UnknownResourceException;
import dev.runners.server.edge.SecurityHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** Organizations and their API keys, for operators holding the admin token. */
@Path("/api/v1/admin/organizations")
@ApplicationScoped
public class AdminResource implements AdminApi {
    private static final System.Logger LOG = System.getLogger(AdminResource.class.getName());

    private final OrganizationRepository organizations;
    private final ApiKeyRepository apiKeys;
    private final AvailabilityPolicy policy;
    private final SecureRandom random;

    @Inject
    AdminResource(OrganizationRepository organizations, ApiKeyRepository apiKeys, AvailabilityPolicy policy,
                  SecureRandom random) {
        this.organizations = organizations;
        this.apiKeys = apiKeys;
        this.policy = policy;
        this.random = random;
    }

    @Override
    public Response createOrganization(JsonObject body) {
        var request = RequestBodies.organization(body);
        Organization organization = organizations.create(request.slug(), request.name(), policy.now());
        LOG.log(System.Logger.Level.INFO, "Created organization " + organization.slug());
        return Response.created(URI.create("/api/v1/admin/organizations/" + organization.slug()))
                .entity(new OrganizationEnvelope(OrganizationView.of(organization)))
                .build();
    }

    @Override
    public Response createApiKey(String slug, JsonObject body) {
        Organization organization = organization(slug);
        Instant now = policy.now();
        var request = RequestBodies.apiKey(body, now);
        String secret = ApiKeySecret.generate(random);
        ApiKey key = apiKeys.create(organization.id(), request.name(), ApiKeySecret.shownPrefix(secret),
                ApiKeySecret.hash(secret), request.scopes(), request.expiresAt(), now);
        LOG.log(System.Logger.Level.INFO, "Created API key " + key.id() + " (" + key.prefix() + "...) for "
                + organization.slug());
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.CACHE_CONTROL, SecurityHeaders.NO_STORE)  // the secret must not be kept by any cache
                .entity(new CreatedApiKey(ApiKeyView.of(key), secret))
                .build();
    }

    @Override
    public ApiKeyList listApiKeys(String slug, List<String> limit, List<String> offset) {
        PageRequest page = PageRules.API_KEYS.parse(limit, offset);
        Organization organization = organization(slug);
        Page<ApiKey> found = apiKeys.page(organization.id(), page);
        return new ApiKeyList(found.items().stream().map(ApiKeyView::of).toList(), found.total(), page.limit(),
                page.offset());
    }

    @Override
    public void revokeApiKey(String slug, String id) {
        Organization organization = organization(slug);
        long keyId = QueryValues.id("id", id);
        apiKeys.revoke(organization.id(), keyId, policy.now())
                .orElseThrow(() -> new UnknownResourceException("API key " + keyId + " not found"));
        LOG.log(System.Logger.Level.INFO, "Revoked API key " + keyId + " of " + organization.slug());
    }

    private Organization organization(String slug) {
        String problem = FieldRules.slug(slug);
        if (problem != null) {
            throw InvalidInputException.parameter("slug", problem);
        }
        return organizations.findBySlug(slug)
                .orElseThrow(() -> new UnknownResourceException("organization '" + slug + "' not found"));
    }
}
