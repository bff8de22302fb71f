package dev.runners.server.feed;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.runners.api.ApiException;
import dev.runners.api.ErrorCode;
import dev.runners.api.EventList;
import dev.runners.api.EventsApi;
import dev.runners.api.InvalidInputException;
import dev.runners.api.Problem;
import dev.runners.api.QueryValues;
import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.EventRepository;
import dev.runners.domain.FeedEvent;
import dev.runners.server.auth.Caller;
import dev.runners.server.edge.ConnectionGuard;
import dev.runners.server.edge.MediaTypeFilter;
import dev.runners.server.ratelimit.RateLimited;
import io.helidon.webserver.http.ServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.glassfish.jersey.server.ChunkedOutput;

/** The change feed of the caller's organization: a Server-Sent Events stream or a long poll. */
@Path("/api/v1/runners/events")
@RequestScoped
public class EventsResource implements EventsApi {
    /** A comment line at least this often keeps a quiet stream (and the proxies on its way) alive; SPEC: 15 s. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(10);
    private static final int STREAM_BATCH = 100;
    private static final String SINCE = "since";
    private static final String WAIT = "wait";
    private static final String LIMIT = "limit";

    private final ChangeFeed feed;
    private final EventRepository events;
    private final FeedMaintenance maintenance;
    private final AvailabilityPolicy policy;
    private final ConnectionGuard connections;

    @Context
    private ContainerRequestContext request;

    @Context
    private ServerRequest serverRequest;

    @Inject
    EventsResource(ChangeFeed feed, EventRepository events, FeedMaintenance maintenance, AvailabilityPolicy policy,
                   ConnectionGuard connections) {
        this.feed = feed;
        this.events = events;
        this.maintenance = maintenance;
        this.policy = policy;
        this.connections = connections;
    }

    @Override
    public Response followEvents(List<String> since, List<String> wait, List<String> limit, String lastEventId) {
        Caller caller = Caller.of(request.getSecurityContext());
        boolean stream = prefersStream((String) request.getProperty(MediaTypeFilter.SENT_ACCEPT));
        Long from = since.isEmpty() ? null : QueryValues.nonNegative(SINCE, since);
        if (stream) {
            refuseForStreams(WAIT, wait);
            refuseForStreams(LIMIT, limit);
            if (lastEventId != null) {
                // a reconnecting EventSource sends the original URL and where it stopped: the header wins
                from = QueryValues.nonNegative(LAST_EVENT_ID, List.of(lastEventId.strip()));
            }
        }
        int waitSeconds = wait.isEmpty() ? 30 : QueryValues.integer(WAIT, wait, 0, 60);
        int max = limit.isEmpty() ? 100 : QueryValues.integer(LIMIT, limit, 1, 1000);
        String sinceName = stream && lastEventId != null ? LAST_EVENT_ID : SINCE;
        long organizationId = caller.organizationId();
        long start = startingVersion(organizationId, from, sinceName);
        return stream
                ? stream(caller, start)
                : longPoll(caller, start, Duration.ofSeconds(waitSeconds), max);
    }

    /** Where to follow from: as asked, or the current version; refused when above it or no longer retained. */
    private long startingVersion(long organizationId, Long from, String name) {
        long current = events.currentVersion(organizationId);
        if (from == null) {
            return current;
        }
        if (from > current) {
            throw InvalidInputException.parameter(name, "must not be above the current version, " + current);
        }
        if (!events.retainsAfter(organizationId, from, maintenance.retainedFrom(policy.now()))) {
            throw new ApiException(ErrorCode.EVENTS_EXPIRED, ErrorCode.EVENTS_EXPIRED.detail(),
                    List.of(Problem.ProblemError.parameter(name, "the events after version " + from
                            + " are no longer retained")));
        }
        return from;
    }

    private Response longPoll(Caller caller, long since, Duration wait, int limit) {
        List<FeedEvent> found = events.after(caller.organizationId(), since, limit);
        boolean waited = false;
        if (found.isEmpty() && !wait.isZero()) {
            Optional<FeedSubscription> subscription = feed.subscribe(caller.organizationId(), caller.apiKeyId(), since);
            if (subscription.isEmpty()) {
                throw tooManyStreams();
            }
            try (FeedSubscription waiting = subscription.get()) {
                // as a stream's: the place under the key's cap is given back as soon as the client goes
                waited = connections.whenClientLeaves(serverRequest.remotePeer().address(), waiting::close);
                Instant deadline = Instant.now().plus(wait);
                while (found.isEmpty() && !waiting.closed()) {
                    Duration left = Duration.between(Instant.now(), deadline);
                    if (left.isNegative() || left.isZero()) {
                        break;
                    }
                    found = waiting.next(left, limit);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long version = found.isEmpty() ? since : found.get(found.size() - 1).version();
        Response.ResponseBuilder answer = Response.ok(new EventList(found, version), MediaType.APPLICATION_JSON_TYPE);
        if (waited) {
            // what the client sent while the poll waited was read by the departure watch: no next request here
            connections.closeAfterTheAnswer(serverRequest.remotePeer().address());
            answer.header("Connection", "close");
        }
        return answer.build();
    }

    private Response stream(Caller caller, long since) {
        Optional<FeedSubscription> subscription = feed.subscribe(caller.organizationId(), caller.apiKeyId(), since);
        if (subscription.isEmpty()) {
            throw tooManyStreams();
        }
        FeedSubscription following = subscription.get();
        // the stream's place under the key's cap is given back as soon as its client goes, not at a failed write
        connections.whenClientLeaves(serverRequest.remotePeer().address(), following::close);
        // Jersey buffers a StreamingOutput; a ChunkedOutput leaves with each write
        ChunkedOutput<String> output = new ChunkedOutput<>(String.class);
        Thread.ofVirtual().name("event-stream").start(() -> follow(following, since, output));
        return Response.ok(output, EVENT_STREAM)
                // no proxy buffering, so that each event leaves at once
                .header("X-Accel-Buffering", "no")
                // nothing is read from the connection after a stream (see ConnectionGuard.whenClientLeaves)
                .header("Connection", "close")
                .build();
    }

    /** Writes the stream until the client leaves or the feed closes (shutdown). */
    private static void follow(FeedSubscription following, long since, ChunkedOutput<String> output) {
        try (following; output) {
            output.write(": following the change feed after version " + since + "\n\n");
            while (!following.closed() && !output.isClosed()) {
                List<FeedEvent> batch = following.next(KEEP_ALIVE, STREAM_BATCH);
                if (batch.isEmpty()) {
                    if (!following.closed()) {
                        output.write(": keep-alive\n\n");
                    }
                    continue;
                }
                StringBuilder frames = new StringBuilder();
                for (FeedEvent event : batch) {
                    frames.append("id: ").append(event.version()).append('\n')
                            .append("event: ").append(event.type().wireName()).append('\n')
                            .append("data: ").append(event.json()).append("\n\n");
                }
                output.write(frames.toString());
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the database did: the client reconnects with Last-Event-ID
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RateLimited tooManyStreams() {
        return new RateLimited("this API key already holds " + feed.maxStreamsPerKey()
                + " event streams or waiting polls; close one first", 1, "event-streams");
    }

    private static void refuseForStreams(String name, List<String> values) {
        if (!values.isEmpty()) {
            throw InvalidInputException.parameter(name, "applies to the long poll (Accept: application/json) only");
        }
    }

    /**
     * Server-Sent Events when Accept ranks {@code text/event-stream} above JSON (or equal and listed
     * first); anything else, no Accept or {@code *}{@code /*} included, gets the long poll.
     */
    static boolean prefersStream(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        double streamQ = 0;
        double jsonQ = 0;
        int streamAt = Integer.MAX_VALUE;
        int jsonAt = Integer.MAX_VALUE;
        String[] ranges = accept.split(",");
        for (int i = 0; i < ranges.length; i++) {
            String[] parts = ranges[i].split(";");
            String range = parts[0].strip().toLowerCase(Locale.ROOT);
            double q = quality(parts);
            if (range.equals(EVENT_STREAM) && q > streamQ) {
                streamQ = q;
                streamAt = Math.min(streamAt, i);
            } else if ((range.equals("application/json") || range.equals("application/*") || range.equals("*/*"))
                    && q > jsonQ) {
                jsonQ = q;
                jsonAt = Math.min(jsonAt, i);
            }
        }
        return streamQ > 0 && (streamQ > jsonQ || (streamQ == jsonQ && streamAt < jsonAt));
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            if (parameter.regionMatches(true, 0, "q=", 0, 2)) {
                try {
                    return Double.parseDouble(parameter.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
