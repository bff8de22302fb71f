package dev.runners.server.resources;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The JAX-RS application at the root, so that every path outside health and OpenAPI, unknown
 * ones too, is answered by it with problem+json. Resources and providers are discovered.
 */
@ApplicationScoped
@ApplicationPath("/")
public class RunnersApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        return Map.of(
                // Location headers stay as written (/api/v1/runners/7), not rewritten to absolute URIs
                "jersey.config.server.headers.location.relative.resolution.disabled", true,
                // the contract is the OpenAPI document; no generated WADL
                "jersey.config.server.wadl.disableWadl", true);
    }
}
