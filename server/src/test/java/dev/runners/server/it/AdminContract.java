package dev.runners.server.it;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.runners.server.support.ApiAssertions.API_KEY_FIELDS;
import static dev.runners.server.support.ApiAssertions.ORGANIZATION_FIELDS;
import static dev.runners.server.support.ApiAssertions.assertFieldProblem;
import static dev.runners.server.support.ApiAssertions.assertFields;
import static dev.runners.server.support.ApiAssertions.assertJson;
import static dev.runners.server.support.ApiAssertions.assertNullMember;
import static dev.runners.server.support.ApiAssertions.assertTimestamp;
import static dev.runners.server.support.ApiAssertions.assertUnauthorized;
import static dev.runners.server.support.ApiAssertions.strings;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's endpoints (SPEC 9-12): organizations, API keys, and the admin token. */
abstract class AdminContract extends ApiContract {
    private static final String[] ADMIN = {"Authorization", Fixtures.ADMIN};
    private static final String ORGANIZATIONS = "/api/v1/admin/organizations";
    private static final Set<String> KEY_LIST = Set.of("api_keys", "total", "limit", "offset");

    // ---- organizations ----

    @Test
    void createsAnOrganization() {
        String slug = uniqueSlug();

        Http.Reply reply = admin.createOrganization("{\"slug\":\"" + slug + "\",\"name\":\"Acme Corp\"}", ADMIN);

        JsonObject body = assertJson(reply, 201);
        assertFields(Set.of("organization"), body);
        JsonObject organization = body.getJsonObject("organization");
        assertFields(ORGANIZATION_FIELDS, organization);
        assertTrue(organization.getJsonNumber("id").longValue() > 0, organization::toString);
        assertEquals(slug, organization.getString("slug"));
        assertEquals("Acme Corp", organization.getString("name"));
        assertTimestamp(organization, "created_at");
        String location = reply.header("Location").orElseThrow(() -> new AssertionError("no Location: " + reply));
        assertEquals(ORGANIZATIONS + "/" + slug, http.base().resolve(URI.create(location)).getPath(), location);
    }

    @Test
    void duplicateSlugIsOrganizationExists() {
        String slug = uniqueSlug();
        assertEquals(201, admin.createOrganization(organizationBody(slug, "First"), ADMIN).status());

        Http.Reply again = admin.createOrganization(organizationBody(slug, "Second"), ADMIN);

        assertProblem(again, 409, "ORGANIZATION_EXISTS");
        assertEquals(201, admin.createKey(slug, "{\"name\":\"k\",\"scopes\":[\"runners:read\"]}", ADMIN).status(),
                "the first organization is untouched");
    }

    @Test
    void invalidOrganizationIsInvalidField() {
        String untouched = uniqueSlug();
        List<Executable> checks = new ArrayList<>();
        for (String slug : List.of("a", "A-upper", "-lead", "trail-", "dou--ble", "under_score", "sp ace", "",
                "a".repeat(64))) {
            checks.add(invalidOrganization(organizationBody(slug, "Name"), "slug"));
        }
        checks.add(invalidOrganization("{\"slug\":7,\"name\":\"Name\"}", "slug"));
        checks.add(invalidOrganization("{\"name\":\"Name\"}", "slug"));
        checks.add(invalidOrganization(organizationBody(untouched, ""), "name"));
        checks.add(invalidOrganization(organizationBody(untouched, "n".repeat(201)), "name"));
        checks.add(invalidOrganization("{\"slug\":\"" + untouched + "\"}", "name"));
        checks.add(invalidOrganization("{\"slug\":\"" + untouched + "\",\"name\":false}", "name"));
        assertAll(checks);

        Http.Reply both = admin.createOrganization(organizationBody("A", ""), ADMIN);
        assertFieldProblem(both, "INVALID_FIELD", "slug");
        assertFieldProblem(both, "INVALID_FIELD", "name");
        assertProblem(admin.listKeys(untouched, ADMIN), 404, "NOT_FOUND");

        assertEquals(201, admin.createOrganization(organizationBody("x" + uniqueSlug().substring(4, 5), "Two"),
                ADMIN).status(), "a 2-character slug is valid");
        assertEquals(201, admin.createOrganization(organizationBody(uniqueSlug() + "-" + "b".repeat(50), "Long"),
                ADMIN).status(), "a 63-character slug is valid");
    }

    // ---- API keys ----

    @Test
    void createsAnApiKeyWhoseSecretIsShownOnce() {
        String slug = fx.organization();

        Http.Reply reply = admin.createKey(slug,
                "{\"name\":\"scheduler\",\"scopes\":[\"runners:read\",\"runners:write\"]}", ADMIN);

        JsonObject body = assertJson(reply, 201);
        assertFields(Set.of("api_key", "secret"), body);
        String secret = body.getString("secret");
        assertTrue(secret.matches("^rk_[A-Za-z0-9]{32,}$"), secret);
        JsonObject key = body.getJsonObject("api_key");
        assertFields(API_KEY_FIELDS, key);
        assertTrue(key.getJsonNumber("id").longValue() > 0, key::toString);
        assertEquals("scheduler", key.getString("name"));
        String prefix = key.getString("prefix");
        assertTrue(prefix.startsWith("rk_") && secret.startsWith(prefix) && prefix.length() < secret.length(),
                () -> "prefix " + prefix + " of " + secret);
        assertEquals(Set.of("runners:read", "runners:write"), Set.copyOf(strings(key.getJsonArray("scopes"))));
        assertTimestamp(key, "created_at");
        assertNullMember(key, "expires_at");
        assertNullMember(key, "last_used_at");
        assertNullMember(key, "revoked_at");

        Http.Reply list = admin.listKeys(slug, ADMIN);
        JsonObject listed = assertJson(list, 200);
        assertFields(KEY_LIST, listed);
        listed.getJsonArray("api_keys").getValuesAs(JsonObject.class).forEach(k -> assertFields(API_KEY_FIELDS, k));
        assertEquals(key, admin.listedKey(slug, key.getJsonNumber("id").longValue()));
        assertFalse(list.body().contains(secret), "the secret is never listed");
        assertFalse(list.body().contains(secret.substring(prefix.length())), "no part past the prefix is listed");

        assertEquals(200, get(RUNNERS, secret).status(), "the secret is the key");
    }

    @Test
    void everyKeyHasItsOwnSecret() {
        String slug = fx.organization();

        JsonObject first = admin.key(slug, "{\"name\":\"a\",\"scopes\":[\"runners:read\"]}");
        JsonObject second = admin.key(slug, "{\"name\":\"a\",\"scopes\":[\"runners:read\"]}");

        assertNotEquals(first.getString("secret"), second.getString("secret"));
        assertNotEquals(first.getJsonObject("api_key").getJsonNumber("id"), second.getJsonObject("api_key").getJsonNumber("id"));
        assertEquals(List.of("runners:read"), strings(first.getJsonObject("api_key").getJsonArray("scopes")));
    }

    @Test
    void createsAKeyWithAnExpiryInUtc() {
        String slug = fx.organization();

        JsonObject utc = admin.key(slug, "{\"name\":\"a\",\"scopes\":[\"runners:read\"],"
                + "\"expires_at\":\"2099-01-15T14:30:00Z\"}").getJsonObject("api_key");
        JsonObject offset = admin.key(slug, "{\"name\":\"b\",\"scopes\":[\"runners:read\"],"
                + "\"expires_at\":\"2099-01-15T16:30:00+02:00\"}").getJsonObject("api_key");

        assertEquals(Instant.parse("2099-01-15T14:30:00Z"), assertTimestamp(utc, "expires_at"));
        assertEquals(Instant.parse("2099-01-15T14:30:00Z"), assertTimestamp(offset, "expires_at"));
        assertEquals(utc.getString("expires_at"), admin.listedKey(slug, utc.getJsonNumber("id").longValue())
                .getString("expires_at"));
    }

    @Test
    void invalidKeyRequestIsInvalidField() {
        String slug = fx.organization();

        assertAll(
                invalidKey(slug, "{\"name\":\"k\",\"scopes\":[]}", "scopes"),
                invalidKey(slug, "{\"name\":\"k\",\"scopes\":[\"admin\"]}", "scopes"),
                invalidKey(slug, "{\"name\":\"k\",\"scopes\":[\"runners:read\",\"runners:admin\"]}", "scopes"),
                invalidKey(slug, "{\"name\":\"k\",\"scopes\":\"runners:read\"}", "scopes"),
                invalidKey(slug, "{\"name\":\"k\",\"scopes\":[1]}", "scopes"),
                invalidKey(slug, "{\"name\":\"k\"}", "scopes"),
                invalidKey(slug, "{\"name\":\"k\",\"scopes\":[\"runners:read\"],\"expires_at\":\"2000-01-01T00:00:00Z\"}",
                        "expires_at"),
                invalidKey(slug, "{\"name\":\"k\",\"scopes\":[\"runners:read\"],\"expires_at\":\"tomorrow\"}",
                        "expires_at"),
                invalidKey(slug, "{\"name\":\"k\",\"scopes\":[\"runners:read\"],\"expires_at\":\"2099-01-15T14:30:00\"}",
                        "expires_at"),
                // the contract's expires_at is optional but not nullable: absent means no expiry
                invalidKey(slug, "{\"name\":\"k\",\"scopes\":[\"runners:read\"],\"expires_at\":null}", "expires_at"),
                invalidKey(slug, "{\"name\":\"\",\"scopes\":[\"runners:read\"]}", "name"),
                invalidKey(slug, "{\"scopes\":[\"runners:read\"]}", "name"));

        Http.Reply all = admin.createKey(slug, "{\"name\":\"\",\"scopes\":[],\"expires_at\":\"2000-01-01T00:00:00Z\"}",
                ADMIN);
        assertFieldProblem(all, "INVALID_FIELD", "name");
        assertFieldProblem(all, "INVALID_FIELD", "scopes");
        assertFieldProblem(all, "INVALID_FIELD", "expires_at");

        JsonObject listed = assertJson(admin.listKeys(slug, ADMIN), 200);
        assertEquals(0, listed.getJsonArray("api_keys").size(), "a rejected request creates no key: " + listed);
    }

    @Test
    void listsTheKeysOfOneOrganizationOnly() {
        String slug = uniqueSlug();
        assertEquals(201, admin.createOrganization(organizationBody(slug, "Keys"), ADMIN).status());
        String other = fx.organization();
        long first = admin.key(slug, "{\"name\":\"a\",\"scopes\":[\"runners:read\"]}")
                .getJsonObject("api_key").getJsonNumber("id").longValue();
        long second = admin.key(slug, "{\"name\":\"b\",\"scopes\":[\"runners:write\"]}")
                .getJsonObject("api_key").getJsonNumber("id").longValue();
        admin.key(other, "{\"name\":\"c\",\"scopes\":[\"runners:read\"]}");

        JsonObject listed = assertJson(admin.listKeys(slug, ADMIN), 200);

        assertEquals(List.of(first, second), listed.getJsonArray("api_keys").getValuesAs(JsonObject.class)
                .stream().map(k -> k.getJsonNumber("id").longValue()).toList(), "by id");
        assertEquals(2, listed.getInt("total"));
    }

    @Test
    void newOrganizationHasNoKeys() {
        String slug = uniqueSlug();
        assertEquals(201, admin.createOrganization(organizationBody(slug, "Empty"), ADMIN).status());

        JsonObject listed = assertJson(admin.listKeys(slug, ADMIN), 200);

        assertFields(KEY_LIST, listed);
        assertEquals(0, listed.getJsonArray("api_keys").size());
        assertEquals(0, listed.getInt("total"));
        assertEquals(100, listed.getInt("limit"));
        assertEquals(0, listed.getInt("offset"));
    }

    @Test
    void revokingAKeySetsRevokedAtAndRefusesIt() {
        String slug = fx.organization();
        JsonObject created = admin.key(slug, "{\"name\":\"doomed\",\"scopes\":[\"runners:read\"]}");
        long id = created.getJsonObject("api_key").getJsonNumber("id").longValue();
        String secret = created.getString("secret");

        Http.Reply revoke = admin.revokeKey(slug, id, ADMIN);

        assertEquals(204, revoke.status(), revoke::toString);
        assertEquals("", revoke.body());
        JsonObject listed = admin.listedKey(slug, id);
        Instant revokedAt = assertTimestamp(listed, "revoked_at");
        assertFalse(revokedAt.isBefore(assertTimestamp(listed, "created_at")), listed::toString);
        assertUnauthorized(get(RUNNERS, secret), "INVALID_API_KEY");
    }

    @Test
    void usingAKeyRecordsLastUsedAt() {
        String slug = fx.organization();
        JsonObject created = admin.key(slug, "{\"name\":\"used\",\"scopes\":[\"runners:read\"]}");
        long id = created.getJsonObject("api_key").getJsonNumber("id").longValue();
        assertNullMember(admin.listedKey(slug, id), "last_used_at");

        assertEquals(200, get(RUNNERS, created.getString("secret")).status());

        JsonObject listed = admin.listedKey(slug, id);
        assertFalse(assertTimestamp(listed, "last_used_at").isBefore(assertTimestamp(listed, "created_at")),
                listed::toString);
    }

    @Test
    void unknownOrganizationOrKeyIsNotFound() {
        String slug = fx.organization();
        String other = fx.organization();
        JsonObject otherKey = admin.key(other, "{\"name\":\"theirs\",\"scopes\":[\"runners:read\"]}");
        long otherKeyId = otherKey.getJsonObject("api_key").getJsonNumber("id").longValue();
        String missing = uniqueSlug();

        assertAll(
                () -> assertProblem(admin.createKey(missing, "{\"name\":\"k\",\"scopes\":[\"runners:read\"]}", ADMIN),
                        404, "NOT_FOUND"),
                () -> assertProblem(admin.listKeys(missing, ADMIN), 404, "NOT_FOUND"),
                () -> assertProblem(admin.revokeKey(missing, otherKeyId, ADMIN), 404, "NOT_FOUND"),
                () -> assertProblem(admin.revokeKey(slug, 9_000_000_000L, ADMIN), 404, "NOT_FOUND"),
                () -> assertProblem(admin.revokeKey(slug, otherKeyId, ADMIN), 404, "NOT_FOUND"));

        assertNullMember(admin.listedKey(other, otherKeyId), "revoked_at");
        assertEquals(200, get(RUNNERS, otherKey.getString("secret")).status(),
                "a key cannot be revoked through another organization");
    }

    // ---- the admin token ----

    @Test
    void missingAdminTokenIsAuthRequired() {
        String slug = fx.organization();
        long id = admin.key(slug, "{\"name\":\"k\",\"scopes\":[\"runners:read\"]}")
                .getJsonObject("api_key").getJsonNumber("id").longValue();
        String fresh = uniqueSlug();

        assertAll(
                () -> assertUnauthorized(admin.createOrganization(organizationBody(fresh, "No token")), "AUTH_REQUIRED"),
                () -> assertUnauthorized(admin.createKey(slug, "{\"name\":\"k\",\"scopes\":[\"runners:read\"]}"),
                        "AUTH_REQUIRED"),
                () -> assertUnauthorized(admin.listKeys(slug), "AUTH_REQUIRED"),
                () -> assertUnauthorized(admin.revokeKey(slug, id), "AUTH_REQUIRED"));

        assertNullMember(admin.listedKey(slug, id), "revoked_at");
        assertProblem(admin.listKeys(fresh, ADMIN), 404, "NOT_FOUND");
    }

    @Test
    void wrongAdminTokenOrAnApiKeyIsInvalidAdminToken() {
        String slug = fx.organization();
        String apiKey = fx.key(slug, "runners:read", "runners:write");
        long id = admin.key(slug, "{\"name\":\"k\",\"scopes\":[\"runners:read\"]}")
                .getJsonObject("api_key").getJsonNumber("id").longValue();
        String fresh = uniqueSlug();
        List<Executable> checks = new ArrayList<>();
        for (String token : List.of("Bearer wrong-token", "Bearer " + Fixtures.ADMIN.substring(7) + "x",
                "Bearer " + apiKey)) {
            String[] header = {"Authorization", token};
            checks.add(() -> assertUnauthorized(admin.createOrganization(organizationBody(fresh, "Wrong"), header),
                    "INVALID_ADMIN_TOKEN"));
            checks.add(() -> assertUnauthorized(admin.createKey(slug, "{\"name\":\"k\",\"scopes\":[\"runners:read\"]}",
                    header), "INVALID_ADMIN_TOKEN"));
            checks.add(() -> assertUnauthorized(admin.listKeys(slug, header), "INVALID_ADMIN_TOKEN"));
            checks.add(() -> assertUnauthorized(admin.revokeKey(slug, id, header), "INVALID_ADMIN_TOKEN"));
        }
        assertAll(checks);

        assertNullMember(admin.listedKey(slug, id), "revoked_at");
        assertEquals(201, admin.createOrganization(organizationBody(fresh, "Right"), ADMIN).status(),
                "the refused creations left the slug free");
    }

    // ---- helpers ----

    private Executable invalidOrganization(String body, String field) {
        return () -> assertFieldProblem(admin.createOrganization(body, ADMIN), "INVALID_FIELD", field);
    }

    private Executable invalidKey(String slug, String body, String field) {
        return () -> assertFieldProblem(admin.createKey(slug, body, ADMIN), "INVALID_FIELD", field);
    }

    private static String organizationBody(String slug, String name) {
        return "{\"slug\":\"" + slug + "\",\"name\":\"" + name + "\"}";
    }

    private static String uniqueSlug() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
