package dev.runners.api;

import java.util.List;

import dev.runners.domain.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The change feed (SPEC endpoint 13), in two forms chosen by Accept: Server-Sent Events
 * ({@code text/event-stream}) or a long poll ({@code application/json}).
 */
@Path("/api/v1/runners/events")
public interface EventsApi {
    String EVENT_STREAM = "text/event-stream";
    String LAST_EVENT_ID = "Last-Event-ID";

    @GET
    @Produces({MediaType.APPLICATION_JSON, EVENT_STREAM})
    @RequiresScope(Scope.RUNNERS_READ)
    Response followEvents(@QueryParam("since") List<String> since,
                          @QueryParam("wait") List<String> wait,
                          @QueryParam("limit") List<String> limit,
                          @HeaderParam(LAST_EVENT_ID) String lastEventId);
}
