package dev.runners.domain;

import java.time.Instant;
import java.util.Optional;

/** Tenants. */
public interface OrganizationRepository {

    /** @throws ConflictException ORGANIZATION_EXISTS when the slug is taken */
    Organization create(String slug, String name, Instant now);

    Optional<Organization> findBySlug(String slug);
}
