package dev.runners.api;

/** {@code {"organization": {...}}}. */
public record OrganizationEnvelope(OrganizationView organization) {
}
