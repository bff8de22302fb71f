package dev.runners.domain;

import java.time.Instant;

/** A tenant: every runner, pod and API key belongs to exactly one. */
public record Organization(long id, String slug, String name, Instant createdAt) {
}
