package dev.runners.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** The published OpenAPI document, unauthenticated. */
@Path("/openapi")
public interface ContractApi {
    String YAML = "application/yaml";

    /** The document as YAML (unchanged) or, with {@code format=JSON}, as JSON. */
    @GET
    Response getOpenApiDocument(@QueryParam("format") List<String> format);
}
