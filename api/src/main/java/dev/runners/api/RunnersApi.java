package dev.runners.api;

import java.util.List;

import dev.runners.domain.Scope;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Runners and their pods (SPEC endpoints 1-8a). Query and path values arrive raw, as strings, so
 * that every malformed, repeated or out-of-range value is answered with the parameter's name.
 * Bodies declare no media type here: the server's body reader refuses anything but JSON (415)
 * after authentication, so an anonymous caller learns only that it must authenticate.
 */
@Path("/api/v1/runners")
@Produces(MediaType.APPLICATION_JSON)
public interface RunnersApi {

    @GET
    @RequiresScope(Scope.RUNNERS_READ)
    RunnerList listRunners(@QueryParam("status") List<String> status,
                           @QueryParam("label") List<String> label,
                           @QueryParam("limit") List<String> limit,
                           @QueryParam("offset") List<String> offset);

    @GET
    @Path("/available")
    @RequiresScope(Scope.RUNNERS_READ)
    RunnerList listAvailableRunners(@QueryParam("label") List<String> label,
                                    @QueryParam("limit") List<String> limit,
                                    @QueryParam("offset") List<String> offset);

    @GET
    @Path("/{id}")
    @RequiresScope(Scope.RUNNERS_READ)
    RunnerEnvelope getRunner(@PathParam("id") String id);

    @GET
    @Path("/{id}/pods")
    @RequiresScope(Scope.RUNNERS_READ)
    PodPage listRunnerPods(@PathParam("id") String id,
                           @QueryParam("status") List<String> status,
                           @QueryParam("limit") List<String> limit,
                           @QueryParam("offset") List<String> offset);

    @POST
    @RequiresScope(Scope.RUNNERS_WRITE)
    Response registerRunner(JsonObject body);

    @POST
    @Path("/{id}/heartbeat")
    @RequiresScope(Scope.RUNNERS_WRITE)
    RunnerEnvelope sendHeartbeat(@PathParam("id") String id, JsonObject body);

    @PUT
    @Path("/{id}/pods/{key}")
    @RequiresScope(Scope.RUNNERS_WRITE)
    Response reportPod(@PathParam("id") String id, @PathParam("key") String key, JsonObject body);

    /** Cordon or uncordon (8a); the body may be application/merge-patch+json or application/json. */
    @PATCH
    @Path("/{id}")
    @RequiresScope(Scope.RUNNERS_WRITE)
    RunnerEnvelope updateRunner(@PathParam("id") String id, JsonObject body);

    @DELETE
    @Path("/{id}")
    @RequiresScope(Scope.RUNNERS_WRITE)
    void deleteRunner(@PathParam("id") String id);
}
