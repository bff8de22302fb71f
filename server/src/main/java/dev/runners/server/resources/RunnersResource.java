package dev.runners.server.resources;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import dev.runners.api.PodEnvelope;
import dev.runners.api.PodPage;
import dev.runners.api.PodView;
import dev.runners.api.QueryValues;
import dev.runners.api.RequestBodies;
import dev.runners.api.RunnerEnvelope;
import dev.runners.api.RunnerList;
import dev.runners.api.RunnerView;
import dev.runners.api.RunnersApi;
import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.FieldRules;
import dev.runners.domain.LabelSet;
import dev.runners.domain.Page;
import dev.runners.domain.PageRequest;
import dev.runners.domain.PageRules;
import dev.runners.domain.Pod;
import dev.runners.domain.PodFilter;
import dev.runners.domain.PodRepository;
import dev.runners.domain.Runner;
import dev.runners.domain.RunnerFilter;
import dev.runners.domain.RunnerRepository;
import dev.runners.domain.UnknownResourceException;
import dev.runners.server.auth.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** Runners and pods of the caller's organization; one instance (a bean per request cost ~10% of a read). */
@Path("/api/v1/runners")
@ApplicationScoped
public class RunnersResource implements RunnersApi {
    private static final String ID = "id";

    private final RunnerRepository runners;
    private final PodRepository pods;
    private final AvailabilityPolicy policy;

    @Inject
    RunnersResource(RunnerRepository runners, PodRepository pods, AvailabilityPolicy policy) {
        this.runners = runners;
        this.pods = pods;
        this.policy = policy;
    }

    @Override
    public RunnerList listRunners(List<String> status, List<String> label, List<String> limit, List<String> offset) {
        RunnerFilter filter = QueryValues.runnerFilter(status, label);
        PageRequest page = QueryValues.page(PageRules.RUNNERS, limit, offset);
        Instant now = policy.now();
        return runnerList(runners.page(organization(), filter, page, now), page, now);
    }

    @Override
    public RunnerList listAvailableRunners(List<String> label, List<String> limit, List<String> offset) {
        LabelSet labels = QueryValues.labels(label);
        PageRequest page = QueryValues.page(PageRules.RUNNERS, limit, offset);
        Instant now = policy.now();
        return runnerList(runners.availablePage(organization(), labels, page, now), page, now);
    }

    @Override
    public RunnerEnvelope getRunner(String id) {
        long runnerId = QueryValues.id(ID, id);
        Runner runner = runners.find(organization(), runnerId).orElseThrow(() -> notFound(runnerId));
        return new RunnerEnvelope(RunnerView.of(runner, policy, policy.now()));
    }

    @Override
    public PodPage listRunnerPods(String id, List<String> status, List<String> limit, List<String> offset) {
        long runnerId = QueryValues.id(ID, id);
        PodFilter filter = QueryValues.podFilter(status);
        PageRequest page = QueryValues.page(PageRules.PODS, limit, offset);
        Page<Pod> found = pods.page(organization(), runnerId, filter, page).orElseThrow(() -> notFound(runnerId));
        return new PodPage(found.items().stream().map(PodView::of).toList(), found.total(), page.limit(),
                page.offset());
    }

    @Override
    public Response registerRunner(JsonObject body) {
        var registration = RequestBodies.registration(body);
        Instant now = policy.now();
        Runner runner = runners.register(organization(), registration, now);
        return Response.created(URI.create("/api/v1/runners/" + runner.id()))
                .entity(new RunnerEnvelope(RunnerView.of(runner, policy, now)))
                .build();
    }

    @Override
    public RunnerEnvelope sendHeartbeat(String id, JsonObject body) {
        long runnerId = QueryValues.id(ID, id);
        var heartbeat = RequestBodies.heartbeat(body);
        Instant now = policy.now();
        Runner runner = runners.heartbeat(organization(), runnerId, heartbeat, now);
        return new RunnerEnvelope(RunnerView.of(runner, policy, now));
    }

    @Override
    public Response reportPod(String id, String key, JsonObject body) {
        PodReported reported = podReported(id, key, body);
        return Response.status(reported.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(reported.pod())
                .build();
    }

    /** The pod as a report left it, and whether the report created it (201) or not (200). */
    public record PodReported(PodEnvelope pod, boolean created) {
    }

    /** {@link #reportPod}'s work, without the JAX-RS answer around it (the routing lane writes its own). */
    public PodReported podReported(String id, String key, JsonObject body) {
        long runnerId = QueryValues.id(ID, id);
        QueryValues.checked("key", key, FieldRules::podKey);
        var update = RequestBodies.podReport(body);
        var report = pods.report(organization(), runnerId, key, update, policy.now());
        return new PodReported(new PodEnvelope(PodView.of(report.pod())), report.created());
    }

    @Override
    public RunnerEnvelope updateRunner(String id, JsonObject body) {
        long runnerId = QueryValues.id(ID, id);
        boolean schedulable = RequestBodies.schedulable(body);
        Instant now = policy.now();
        Runner runner = runners.setSchedulable(organization(), runnerId, schedulable, now);
        return new RunnerEnvelope(RunnerView.of(runner, policy, now));
    }

    @Override
    public void deleteRunner(String id) {
        long runnerId = QueryValues.id(ID, id);
        if (!runners.delete(organization(), runnerId, policy.now())) {
            throw notFound(runnerId);
        }
    }

    private RunnerList runnerList(Page<Runner> found, PageRequest page, Instant now) {
        return new RunnerList(found.items().stream().map(r -> RunnerView.of(r, policy, now)).toList(), found.total(),
                page.limit(), page.offset());
    }

    private long organization() {
        return Caller.current().organizationId();
    }

    private static UnknownResourceException notFound(long runnerId) {
        return new UnknownResourceException("runner " + runnerId + " not found");
    }
}
