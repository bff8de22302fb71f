package dev.runners.server.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.helidon.microprofile.testing.junit5.HelidonTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real server on a fresh PostgreSQL database behind a proxy that the test can cut. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ProxiedPostgresDatabase.class)
@HelidonTest
public @interface OnProxiedPostgres {
}
