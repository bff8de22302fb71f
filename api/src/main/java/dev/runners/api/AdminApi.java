package dev.runners.api;

import java.util.List;

import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Operator endpoints (SPEC 9-12), behind the admin token. */
@Path("/api/v1/admin/organizations")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
public interface AdminApi {

    @POST
    Response createOrganization(JsonObject body);

    @POST
    @Path("/{slug}/api-keys")
    Response createApiKey(@PathParam("slug") String slug, JsonObject body);

    @GET
    @Path("/{slug}/api-keys")
    ApiKeyList listApiKeys(@PathParam("slug") String slug,
                           @QueryParam("limit") List<String> limit,
                           @QueryParam("offset") List<String> offset);

    @DELETE
    @Path("/{slug}/api-keys/{id}")
    void revokeApiKey(@PathParam("slug") String slug, @PathParam("id") String id);
}
