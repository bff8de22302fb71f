package dev.runners.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.runners.domain.ApiKey;
import dev.runners.domain.ApiKeyRepository;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.Scope;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** API keys on Helidon DB Client; only the SHA-256 of a secret reaches the database. */
public final class JdbcApiKeyRepository implements ApiKeyRepository {
    private final Database database;

    public JdbcApiKeyRepository(Database database) {
        this.database = database;
    }

    @Override
    public ApiKey create(long organizationId, String name, String prefix, String secretHash, Set<Scope> scopes,
                         Instant expiresAt, Instant now) {
        return database.inTransaction(tx -> {
            tx.createNamedInsert("api-key-insert")
                    .addParam("organization_id", organizationId)
                    .addParam("name", name)
                    .addParam("prefix", prefix)
                    .addParam("secret_hash", secretHash)
                    .addParam("scopes", scopes.stream().map(Scope::wireName).sorted().collect(Collectors.joining(" ")))
                    .addParam("created_at", Columns.timestamp(now))
                    .addParam("expires_at", Columns.timestamp(expiresAt))
                    .execute();
            return byHash(tx, secretHash).orElseThrow();
        });
    }

    @Override
    public Optional<ApiKey> findBySecretHash(String secretHash) {
        return database.read(exec -> byHash(exec, secretHash));
    }

    @Override
    public Page<ApiKey> page(long organizationId, PageRequest page) {
        return database.read(exec -> {
            long total = 0;
            List<ApiKey> keys = new ArrayList<>();
            try (Stream<DbRow> rows = exec.createNamedQuery("api-keys-page")
                    .addParam("organization_id", organizationId)
                    .addParam("limit", page.limit())
                    .addParam("offset", page.offset())
                    .execute()) {
                for (DbRow row : (Iterable<DbRow>) rows::iterator) {
                    total = Columns.longValue(row, "total");
                    if (!Columns.isNull(row, "id")) {
                        keys.add(apiKey(row));
                    }
                }
            }
            return new Page<>(keys, total);
        });
    }

    @Override
    public Optional<ApiKey> revoke(long organizationId, long keyId, Instant now) {
        return database.inTransaction(tx -> {
            tx.createNamedUpdate("api-key-revoke")
                    .addParam("id", keyId)
                    .addParam("organization_id", organizationId)
                    .addParam("revoked_at", Columns.timestamp(now))
                    .execute();
            return tx.createNamedGet("api-key-by-id")
                    .addParam("id", keyId)
                    .addParam("organization_id", organizationId)
                    .execute()
                    .map(JdbcApiKeyRepository::apiKey);
        });
    }

    @Override
    public void recordUse(long keyId, Instant usedAt, Instant staleBefore) {
        database.read(exec -> exec.createNamedUpdate("api-key-touch")
                .addParam("id", keyId)
                .addParam("used_at", Columns.timestamp(usedAt))
                .addParam("stale_before", Columns.timestamp(staleBefore))
                .execute());
    }

    private static Optional<ApiKey> byHash(DbExecute exec, String secretHash) {
        return exec.createNamedGet("api-key-by-hash").addParam("secret_hash", secretHash).execute()
                .map(JdbcApiKeyRepository::apiKey);
    }

    private static ApiKey apiKey(DbRow row) {
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(Columns.string(row, "scopes").split(" "))
                .map(Scope::fromWire)
                .flatMap(Optional::stream)
                .forEach(scopes::add);
        return new ApiKey(
                Columns.longValue(row, "id"),
                Columns.longValue(row, "organization_id"),
                Columns.string(row, "name"),
                Columns.string(row, "prefix"),
                scopes,
                Columns.instant(row, "created_at"),
                Columns.instant(row, "expires_at"),
                Columns.instant(row, "last_used_at"),
                Columns.instant(row, "revoked_at"));
    }
}
