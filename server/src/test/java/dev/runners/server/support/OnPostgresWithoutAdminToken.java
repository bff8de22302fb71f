package dev.runners.server.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.helidon.microprofile.testing.junit5.HelidonTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** As {@link OnPostgres}, but the server runs without {@code runners.admin-token}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith({PostgresDatabase.class, WithoutAdminToken.class})
@HelidonTest
public @interface OnPostgresWithoutAdminToken {
}
