package dev.runners.server.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.helidon.microprofile.testing.junit5.HelidonTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** As {@link OnEmbeddedDatabase}, but the server runs without {@code runners.admin-token}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith({EmbeddedDatabase.class, WithoutAdminToken.class})
@HelidonTest
public @interface OnEmbeddedDatabaseWithoutAdminToken {
}
