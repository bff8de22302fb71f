package dev.runners.server.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Settings of the server that one test class starts, over the suite's (see {@link TestDatabase}). */
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ServerSettings {
    /** {@code key=value} entries. */
    String[] value() default {};

    /** Whether the server keeps its own rate limits (SPEC's defaults) rather than the suite's generous ones. */
    boolean shippedRateLimits() default false;
}
