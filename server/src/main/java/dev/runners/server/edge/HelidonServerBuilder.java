package dev.runners.server.edge;

import java.lang.reflect.Field;

import io.helidon.microprofile.server.ServerCdiExtension;
import io.helidon.webserver.WebServerConfig;

/**
 * The web server's builder, which Helidon MP holds in its server extension until the server starts
 * and offers no accessor for (Helidon 4.1.2). Reached by reflection, in this one place, for what MP
 * configuration cannot express: direct handlers, connection hooks. Use it before the server starts.
 */
final class HelidonServerBuilder {
    private HelidonServerBuilder() {
    }

    static WebServerConfig.Builder of(ServerCdiExtension server) throws ReflectiveOperationException {
        Field field = ServerCdiExtension.class.getDeclaredField("serverBuilder");
        field.setAccessible(true);
        return (WebServerConfig.Builder) field.get(server);
    }
}
