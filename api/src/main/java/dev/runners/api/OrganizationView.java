package dev.runners.api;

import java.time.Instant;

import dev.runners.domain.Organization;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** An organization as operators see it. */
@JsonbPropertyOrder({"id", "slug", "name", "createdAt"})
public record OrganizationView(long id, String slug, String name, Instant createdAt) {

    public static OrganizationView of(Organization organization) {
        return new OrganizationView(organization.id(), organization.slug(), organization.name(),
                organization.createdAt());
    }
}
