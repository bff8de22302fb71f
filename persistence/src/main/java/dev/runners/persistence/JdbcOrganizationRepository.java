package dev.runners.persistence;

import java.time.Instant;
import java.util.Optional;

import dev.runners.domain.ConflictException;
import dev.runners.domain.Organization;
import dev.runners.domain.OrganizationRepository;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** Organizations on Helidon DB Client. */
public final class JdbcOrganizationRepository implements OrganizationRepository {
    private final Database database;

    public JdbcOrganizationRepository(Database database) {
        this.database = database;
    }

    @Override
    public Organization create(String slug, String name, Instant now) {
        try {
            return database.inTransaction(tx -> {
                tx.createNamedInsert("organization-insert")
                        .addParam("slug", slug)
                        .addParam("name", name)
                        .addParam("created_at", Columns.timestamp(now))
                        .execute();
                Organization created = bySlug(tx, slug).orElseThrow();
                tx.createNamedInsert("organization-event-counter-insert")
                        .addParam("organization_id", created.id())
                        .execute();
                return created;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                throw new ConflictException(ConflictException.Reason.ORGANIZATION_EXISTS,
                        "an organization with slug '" + slug + "' already exists");
            }
            throw e;
        }
    }

    @Override
    public Optional<Organization> findBySlug(String slug) {
        return database.read(exec -> bySlug(exec, slug));
    }

    private static Optional<Organization> bySlug(DbExecute exec, String slug) {
        return exec.createNamedGet("organization-by-slug").addParam("slug", slug).execute()
                .map(JdbcOrganizationRepository::organization);
    }

    private static Organization organization(DbRow row) {
        return new Organization(Columns.longValue(row, "id"), Columns.string(row, "slug"),
                Columns.string(row, "name"), Columns.instant(row, "created_at"));
    }
}
