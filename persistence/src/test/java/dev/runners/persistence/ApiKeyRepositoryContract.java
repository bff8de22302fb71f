package dev.runners.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.runners.domain.ApiKey;
import dev.runners.domain.ApiKeyRepository;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.Scope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API key repository's pages (by id, revoked and expired keys included, totals whatever the
 * slice) and tenancy on a real database, without HTTP; one subclass per store.
 */
abstract class ApiKeyRepositoryContract extends RepositoryContract {
    private static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    private static final PageRequest ALL = new PageRequest(1000, 0);

    private ApiKeyRepository keys;

    ApiKeyRepositoryContract(TestStore store) {
        super(store);
    }

    @BeforeAll
    void openTheRepository() {
        keys = new JdbcApiKeyRepository(database);
    }

    @Test
    void aPageListsByIdRevokedAndExpiredKeysIncludedAndCountsEveryKeyWhateverTheSlice() {
        long org = organization();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(key(org, i == 3 ? NOW.minusSeconds(1) : null).id());
        }
        keys.revoke(org, ids.get(1), NOW).orElseThrow();

        assertEquals(ids, idsOf(keys.page(org, ALL)), "the revoked and the expired key are listed too");
        Page<ApiKey> middle = keys.page(org, new PageRequest(2, 1));
        assertEquals(ids.subList(1, 3), idsOf(middle));
        assertEquals(5, middle.total());
        assertTrue(middle.items().get(0).revoked());
        Page<ApiKey> beyond = keys.page(org, new PageRequest(2, 5));
        assertEquals(List.of(), beyond.items());
        assertEquals(5, beyond.total(), "a page past the end still counts every key");
    }

    @Test
    void anOrganizationWithoutKeysHasAnEmptyPage() {
        Page<ApiKey> page = keys.page(organization(), ALL);
        assertEquals(List.of(), page.items());
        assertEquals(0, page.total());
    }

    @Test
    void anotherOrganizationsKeysAreNeitherListedNorRevoked() {
        long mine = organization();
        long theirs = organization();
        ApiKey theirKey = key(theirs, null);
        ApiKey myKey = key(mine, null);

        Page<ApiKey> page = keys.page(mine, ALL);
        assertEquals(List.of(myKey.id()), idsOf(page));
        assertEquals(1, page.total());
        assertEquals(Optional.empty(), keys.revoke(mine, theirKey.id(), NOW));
        assertEquals(false, keys.page(theirs, ALL).items().get(0).revoked());
    }

    private long organization() {
        return organization(NOW);
    }

    private ApiKey key(long org, Instant expiresAt) {
        int n = next();
        return keys.create(org, "key-" + n, "rk_" + n, "hash-" + n, Set.of(Scope.values()[0]), expiresAt,
                NOW.minusSeconds(3600));
    }

    private static List<Long> idsOf(Page<ApiKey> page) {
        return page.items().stream().map(ApiKey::id).toList();
    }
}
