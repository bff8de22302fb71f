package dev.runners.server.it;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import dev.runners.client.ApiClient;
import dev.runners.client.ApiException;
import dev.runners.client.ApiResponse;
import dev.runners.client.api.AdminApi;
import dev.runners.client.api.EventsApi;
import dev.runners.client.api.PodsApi;
import dev.runners.client.api.RunnersApi;
import dev.runners.client.model.ApiKey;
import dev.runners.client.model.ApiKeyList;
import dev.runners.client.model.ApiKeyScope;
import dev.runners.client.model.CreateApiKey;
import dev.runners.client.model.CreateOrganization;
import dev.runners.client.model.CreatedApiKey;
import dev.runners.client.model.Event;
import dev.runners.client.model.EventBatch;
import dev.runners.client.model.EventType;
import dev.runners.client.model.Heartbeat;
import dev.runners.client.model.HeartbeatStatus;
import dev.runners.client.model.Organization;
import dev.runners.client.model.OrganizationEnvelope;
import dev.runners.client.model.Pod;
import dev.runners.client.model.PodEnvelope;
import dev.runners.client.model.PodPage;
import dev.runners.client.model.PodStatus;
import dev.runners.client.model.Problem;
import dev.runners.client.model.ProblemError;
import dev.runners.client.model.RegisterRunner;
import dev.runners.client.model.ReportPod;
import dev.runners.client.model.Runner;
import dev.runners.client.model.RunnerEnvelope;
import dev.runners.client.model.RunnerList;
import dev.runners.client.model.RunnerPatch;
import dev.runners.client.model.RunnerStatus;
import dev.runners.server.support.GeneratedClients;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole story driven through the Java client that openapi-generator builds from the contract file
 * (openapi module), never from the running server: if the server answers something the contract's
 * client cannot read, or reads differently, these tests fail. Every error comes back as the generated
 * {@link ApiException} whose body is read into the generated {@link Problem}.
 */
abstract class GeneratedClientContract {
    private static final String AGENT = "claude-code";

    @Inject
    WebTarget target;

    GeneratedClients clients;
    ApiClient adminClient;
    AdminApi admin;

    @BeforeEach
    void connect() {
        clients = new GeneratedClients(target.getUri());
        adminClient = clients.admin();
        admin = new AdminApi(adminClient);
    }

    @Test
    void theWholeStory() throws ApiException {
        ClientOrg t = organization();

        // register three runners; labels come back sorted without duplicates, max_pods defaults to 10
        Runner alpha = register(t, "alpha", List.of("high-memory", "gpu", "gpu"), 3);
        assertEquals(List.of("gpu", "high-memory"), labels(alpha));
        Runner beta = register(t, "beta", List.of("gpu"), 8);
        Runner gamma = register(t, "gamma", List.of("cpu"), null);
        assertEquals(10, gamma.getMaxPods());
        assertTrue(alpha.getId() < beta.getId() && beta.getId() < gamma.getId(), "ids ascend in registration order");

        // heartbeats: alpha and beta online, gamma reports offline
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(2);
        Runner alphaBeat = t.writer.sendHeartbeat(alpha.getId(), new Heartbeat().status(HeartbeatStatus.ONLINE))
                .getRunner();
        OffsetDateTime after = OffsetDateTime.now().plusSeconds(2);
        assertEquals(RunnerStatus.ONLINE, alphaBeat.getStatus());
        assertNotNull(alphaBeat.getLastHeartbeatAt());
        assertTrue(alphaBeat.getLastHeartbeatAt().isAfter(before) && alphaBeat.getLastHeartbeatAt().isBefore(after),
                () -> "last_heartbeat_at is the server's time: " + alphaBeat.getLastHeartbeatAt());
        assertEquals(List.of("gpu", "high-memory"), labels(alphaBeat), "a heartbeat without labels keeps them");
        assertEquals(3, alphaBeat.getMaxPods());
        Runner betaBeat = t.writer.sendHeartbeat(beta.getId(), new Heartbeat().status(HeartbeatStatus.ONLINE)
                .version("1.3.0")).getRunner();
        assertEquals(RunnerStatus.ONLINE, betaBeat.getStatus());
        assertEquals("1.3.0", betaBeat.getVersion(), "an optional heartbeat field replaces the stored one");
        Runner gammaBeat = t.writer.sendHeartbeat(gamma.getId(), new Heartbeat().status(HeartbeatStatus.OFFLINE))
                .getRunner();
        assertEquals(RunnerStatus.OFFLINE, gammaBeat.getStatus());
        assertNotNull(gammaBeat.getLastHeartbeatAt());

        // pods: new is 201, an update (or a repeat of a terminal status) is 200
        String prompt = "Fix the login bug ✓ 🚀";
        Pod a1 = report(t, alpha, "a-1", PodStatus.RUNNING, prompt, 201);
        assertEquals(prompt, a1.getInitialPrompt());
        assertEquals(AGENT, a1.getAgentTypeId());
        assertNotNull(a1.getCreatedAt());
        Pod a2 = report(t, alpha, "a-2", PodStatus.INITIALIZING, null, 201);
        assertNull(a2.getInitialPrompt());
        Pod a1Paused = report(t, alpha, "a-1", PodStatus.PAUSED, null, 200);
        assertEquals(PodStatus.PAUSED, a1Paused.getStatus());
        assertEquals(prompt, a1Paused.getInitialPrompt(), "initial_prompt is fixed at creation");
        assertEquals(a1.getCreatedAt(), a1Paused.getCreatedAt());
        report(t, alpha, "a-3", PodStatus.RUNNING, null, 201);
        report(t, alpha, "a-3", PodStatus.COMPLETED, null, 200);
        report(t, alpha, "a-3", PodStatus.COMPLETED, null, 200); // idempotent
        report(t, beta, "b-1", PodStatus.RUNNING, null, 201);

        // alpha: 2 active of 3 (1 free); beta: 1 of 8 (7 free) -> beta first although its id is higher
        Runner alphaNow = t.reader.getRunner(alpha.getId(), null).getRunner();
        assertEquals(2, alphaNow.getPodCount());
        assertEquals(RunnerStatus.ONLINE, alphaNow.getStatus());
        assertEquals(List.of(beta.getId(), alpha.getId()), ids(t.reader.listAvailableRunners(null, null, null, null), 2));

        // cordon beta (PATCH, JSON Merge Patch): it keeps its status but leaves the available list
        Runner cordoned = t.writer.updateRunner(beta.getId(), new RunnerPatch().schedulable(false)).getRunner();
        assertEquals(Boolean.FALSE, cordoned.getSchedulable());
        assertEquals(RunnerStatus.ONLINE, cordoned.getStatus());
        assertEquals(List.of(alpha.getId()), ids(t.reader.listAvailableRunners(null, null, null, null), 1));
        assertEquals(Boolean.FALSE, t.writer.sendHeartbeat(beta.getId(), new Heartbeat().status(HeartbeatStatus.ONLINE))
                .getRunner().getSchedulable(), "the heartbeat response shows the cordon");
        assertEquals(Boolean.TRUE, t.writer.updateRunner(beta.getId(), new RunnerPatch().schedulable(true))
                .getRunner().getSchedulable());
        assertEquals(List.of(beta.getId(), alpha.getId()),
                ids(t.reader.listAvailableRunners(List.of("gpu"), null, null, null), 2));
        assertEquals(List.of(alpha.getId()),
                ids(t.reader.listAvailableRunners(List.of("gpu", "high-memory"), null, null, null), 1));
        assertEquals(List.of(), ids(t.reader.listAvailableRunners(List.of("cpu"), null, null, null), 0));
        assertEquals(List.of(beta.getId()), ids(t.reader.listAvailableRunners(null, 1, null, null), 2));
        assertEquals(List.of(alpha.getId()), ids(t.reader.listAvailableRunners(null, 1, 1, null), 2));
        assertEquals(List.of(), ids(t.reader.listAvailableRunners(null, null, 2, null), 2));

        // one more active pod makes alpha busy: 3 of 3
        report(t, alpha, "a-4", PodStatus.RUNNING, null, 201);
        assertEquals(List.of(beta.getId()), ids(t.reader.listAvailableRunners(null, null, null, null), 1));

        // list with every filter and page
        assertEquals(List.of(alpha.getId(), beta.getId(), gamma.getId()), ids(t.reader.listRunners(null, null, null, null, null), 3));
        assertEquals(List.of(beta.getId()), ids(t.reader.listRunners(List.of(RunnerStatus.ONLINE), null, null, null, null), 1));
        assertEquals(List.of(alpha.getId()), ids(t.reader.listRunners(List.of(RunnerStatus.BUSY), null, null, null, null), 1));
        assertEquals(List.of(gamma.getId()), ids(t.reader.listRunners(List.of(RunnerStatus.OFFLINE), null, null, null, null), 1));
        assertEquals(List.of(alpha.getId(), beta.getId()),
                ids(t.reader.listRunners(List.of(RunnerStatus.ONLINE, RunnerStatus.BUSY), null, null, null, null), 2));
        assertEquals(List.of(alpha.getId(), beta.getId()), ids(t.reader.listRunners(null, List.of("gpu"), null, null, null), 2));
        assertEquals(List.of(alpha.getId()),
                ids(t.reader.listRunners(null, List.of("gpu", "high-memory"), null, null, null), 1));
        assertEquals(List.of(), ids(t.reader.listRunners(List.of(RunnerStatus.ONLINE), List.of("cpu"), null, null, null), 0));
        assertEquals(List.of(gamma.getId()),
                ids(t.reader.listRunners(List.of(RunnerStatus.OFFLINE), List.of("cpu"), null, null, null), 1));
        assertEquals(List.of(alpha.getId(), beta.getId()), ids(t.reader.listRunners(null, null, 2, null, null), 3));
        assertEquals(List.of(gamma.getId()), ids(t.reader.listRunners(null, null, 2, 2, null), 3));
        assertEquals(List.of(beta.getId(), gamma.getId()), ids(t.reader.listRunners(null, null, null, 1, null), 3));
        assertEquals(List.of(), ids(t.reader.listRunners(null, null, 10, 5, null), 3));
        assertEquals(List.of(beta.getId()), ids(t.reader.listRunners(null, List.of("gpu"), 1, 1, null), 2));

        // a page echoes its limit and offset (100 and 0 by default), and links to the next while more follow
        RunnerList byDefault = t.reader.listRunners(null, null, null, null, null);
        assertEquals(100, byDefault.getLimit());
        assertEquals(0, byDefault.getOffset());
        ApiResponse<RunnerList> firstPage = t.reader.listRunnersWithHttpInfo(List.of(RunnerStatus.ONLINE,
                RunnerStatus.BUSY), null, 1, null, null);
        assertEquals(1, firstPage.getData().getLimit());
        assertEquals(List.of("</api/v1/runners?status=online&status=busy&limit=1&offset=1>; rel=\"next\""),
                header(firstPage, "Link"));
        assertEquals(List.of(), header(t.reader.listRunnersWithHttpInfo(List.of(RunnerStatus.ONLINE,
                RunnerStatus.BUSY), null, 1, 1, null), "Link"));

        // one runner, read with either key, equals its list entry
        Runner alphaRead = t.reader.getRunner(alpha.getId(), null).getRunner();
        assertEquals(RunnerStatus.BUSY, alphaRead.getStatus());
        assertEquals(3, alphaRead.getPodCount());
        assertEquals(3, alphaRead.getMaxPods());
        assertEquals("alpha", alphaRead.getName());
        assertEquals("1.2.0", alphaRead.getVersion());
        assertEquals("linux", alphaRead.getOs());
        assertEquals("amd64", alphaRead.getArch());
        assertEquals(alphaBeat.getLastHeartbeatAt(), alphaRead.getLastHeartbeatAt());
        assertEquals(alpha.getCreatedAt(), alphaRead.getCreatedAt());
        assertEquals(alphaRead, t.writer.getRunner(alpha.getId(), null).getRunner(), "runners:write also grants read");
        assertEquals(alphaRead, t.reader.listRunners(List.of(RunnerStatus.BUSY), null, null, null, null).getRunners().get(0));

        // pods: newest first, ties by key; status filter; limit and offset echoed
        PodPage all = t.podReader.listRunnerPods(alpha.getId(), null, null, null, null);
        assertEquals(4L, all.getTotal());
        assertEquals(50, all.getLimit(), "limit defaults to 50");
        assertEquals(0, all.getOffset(), "offset defaults to 0");
        assertEquals(Set.of("a-1", "a-2", "a-3", "a-4"), Set.copyOf(keys(all)));
        List<Pod> sorted = new ArrayList<>(all.getPods());
        sorted.sort(Comparator.comparing(Pod::getCreatedAt).reversed().thenComparing(Pod::getKey));
        assertEquals(keys(sorted), keys(all), "newest created_at first, ties by key ascending");
        Pod a1Listed = all.getPods().stream().filter(p -> p.getKey().equals("a-1")).findFirst().orElseThrow();
        assertEquals(PodStatus.PAUSED, a1Listed.getStatus());
        assertEquals(prompt, a1Listed.getInitialPrompt());

        PodPage active = t.podReader.listRunnerPods(alpha.getId(), List.of(PodStatus.RUNNING, PodStatus.PAUSED), null, null, null);
        assertEquals(2L, active.getTotal());
        assertEquals(Set.of("a-1", "a-4"), Set.copyOf(keys(active)));
        PodPage done = t.podReader.listRunnerPods(alpha.getId(), List.of(PodStatus.COMPLETED), null, null, null);
        assertEquals(List.of("a-3"), keys(done));
        assertEquals(1L, done.getTotal());
        assertEquals(0L, t.podReader.listRunnerPods(alpha.getId(), List.of(PodStatus.ERROR), null, null, null).getTotal());

        PodPage first = t.podReader.listRunnerPods(alpha.getId(), null, 2, null, null);
        PodPage second = t.podReader.listRunnerPods(alpha.getId(), null, 2, 2, null);
        PodPage beyond = t.podReader.listRunnerPods(alpha.getId(), null, 2, 4, null);
        assertEquals(4L, first.getTotal());
        assertEquals(2, first.getLimit());
        assertEquals(0, first.getOffset());
        assertEquals(4L, second.getTotal());
        assertEquals(2, second.getOffset());
        List<String> paged = new ArrayList<>(keys(first));
        paged.addAll(keys(second));
        assertEquals(keys(all), paged, "two pages of 2 are the whole list in order");
        assertEquals(List.of(), keys(beyond));
        assertEquals(4L, beyond.getTotal());
        assertEquals(keys(sorted).subList(1, 2),
                keys(t.podReader.listRunnerPods(alpha.getId(), null, 1, 1, null)));

        // keys: both listed, without secrets (the strict mapper rejects any property the contract lacks)
        ApiKeyList listed = admin.listApiKeys(t.slug, null, null);
        assertEquals(java.util.stream.Stream.of(t.writeKey.getId(), t.readKey.getId()).sorted().toList(),
                listed.getApiKeys().stream().map(ApiKey::getId).toList(), "by id");
        assertEquals(2L, listed.getTotal());
        assertEquals(100, listed.getLimit());
        assertEquals(0, listed.getOffset());
        ApiKeyList secondKey = admin.listApiKeys(t.slug, 1, 1);
        assertEquals(List.of(listed.getApiKeys().get(1)), secondKey.getApiKeys());
        assertEquals(2L, secondKey.getTotal());
        for (ApiKey key : listed.getApiKeys()) {
            assertNull(key.getRevokedAt());
            assertNull(key.getExpiresAt());
            assertEquals(key.getId().equals(t.writeKey.getId()) ? Set.of(ApiKeyScope.WRITE) : Set.of(ApiKeyScope.READ),
                    key.getScopes());
        }

        // revoke the read key: the very next call with it fails, the write key still works
        ApiResponse<Void> revoked = admin.revokeApiKeyWithHttpInfo(t.slug, t.readKey.getId());
        assertEquals(204, revoked.getStatusCode());
        unauthorized(Problem.CodeEnum.INVALID_API_KEY, t.readClient, () -> t.reader.listRunners(null, null, null, null, null));
        ApiKey readKeyNow = admin.listApiKeys(t.slug, null, null).getApiKeys().stream()
                .filter(k -> k.getId().equals(t.readKey.getId())).findFirst().orElseThrow();
        assertNotNull(readKeyNow.getRevokedAt());
        assertEquals(3L, t.writer.listRunners(null, null, null, null, null).getTotal());

        // delete a runner: 204, then it is gone
        assertEquals(204, t.writer.deleteRunnerWithHttpInfo(gamma.getId()).getStatusCode());
        fails(404, Problem.CodeEnum.NOT_FOUND, t.writeClient, () -> t.writer.getRunner(gamma.getId(), null));
        assertEquals(List.of(alpha.getId(), beta.getId()), ids(t.writer.listRunners(null, null, null, null, null), 2));
    }

    @Test
    void unknownRunnerIsNotFound() throws ApiException {
        ClientOrg t = organization();
        Runner own = register(t, "own", List.of(), 2);
        long unknown = own.getId() + 1_000_000;
        fails(404, Problem.CodeEnum.NOT_FOUND, t.readClient, () -> t.reader.getRunner(unknown, null));
        fails(404, Problem.CodeEnum.NOT_FOUND, t.readClient, () -> t.podReader.listRunnerPods(unknown, null, null, null, null));
        fails(404, Problem.CodeEnum.NOT_FOUND, t.writeClient,
                () -> t.writer.sendHeartbeat(unknown, new Heartbeat().status(HeartbeatStatus.ONLINE)));
        fails(404, Problem.CodeEnum.NOT_FOUND, t.writeClient, () -> t.writer.deleteRunner(unknown));

        // a runner of another organization is answered exactly like one that does not exist
        ClientOrg other = organization();
        fails(404, Problem.CodeEnum.NOT_FOUND, other.readClient, () -> other.reader.getRunner(own.getId(), null));
        fails(404, Problem.CodeEnum.NOT_FOUND, other.writeClient, () -> other.podWriter.reportPod(own.getId(), "x-1",
                new ReportPod().status(PodStatus.RUNNING).agentTypeId(AGENT)));
    }

    @Test
    void invalidParameterNamesIt() throws ApiException {
        ClientOrg t = organization();
        Runner runner = register(t, "params", List.of(), 2);
        assertEquals(List.of("limit"), parameters(fails(400, Problem.CodeEnum.INVALID_PARAMETER, t.readClient,
                () -> t.reader.listRunners(null, null, 0, null, null))));
        assertEquals(List.of("limit"), parameters(fails(400, Problem.CodeEnum.INVALID_PARAMETER, t.readClient,
                () -> t.reader.listRunners(null, null, 1001, null, null))));
        assertEquals(List.of("offset"), parameters(fails(400, Problem.CodeEnum.INVALID_PARAMETER, t.readClient,
                () -> t.reader.listAvailableRunners(null, null, -1, null))));
        assertEquals(List.of("limit"), parameters(fails(400, Problem.CodeEnum.INVALID_PARAMETER, t.readClient,
                () -> t.podReader.listRunnerPods(runner.getId(), null, 101, null, null))));
        assertEquals(List.of("label"), parameters(fails(400, Problem.CodeEnum.INVALID_PARAMETER, t.readClient,
                () -> t.reader.listRunners(null, List.of("Not A Label"), null, null, null))));
        assertEquals(List.of("id"), parameters(fails(400, Problem.CodeEnum.INVALID_PARAMETER, t.readClient,
                () -> t.reader.getRunner(0L, null))));
    }

    @Test
    void duplicateRunnerNameIsAConflict() throws ApiException {
        ClientOrg t = organization();
        register(t, "twin", List.of("gpu"), 2);
        Problem problem = fails(409, Problem.CodeEnum.RUNNER_NAME_TAKEN, t.writeClient,
                () -> t.writer.registerRunner(registration("twin", List.of(), 5)));
        assertNull(problem.getErrors());
        assertEquals(1L, t.reader.listRunners(null, null, null, null, null).getTotal(), "a rejected request changes nothing");
    }

    @Test
    void missingOrWrongCredentialsAreUnauthorized() throws ApiException {
        ClientOrg t = organization();
        ApiClient anonymous = clients.anonymous();
        unauthorized(Problem.CodeEnum.AUTH_REQUIRED, anonymous, () -> new RunnersApi(anonymous).listRunners(null, null, null, null, null));
        unauthorized(Problem.CodeEnum.AUTH_REQUIRED, anonymous, () -> new AdminApi(anonymous).listApiKeys(t.slug, null, null));

        ApiClient unknownKey = clients.bearer("rk_" + "0123456789abcdefABCDEF0123456789xyz");
        unauthorized(Problem.CodeEnum.INVALID_API_KEY, unknownKey, () -> new RunnersApi(unknownKey).listRunners(null, null, null, null, null));

        // an organization key is not an admin token
        unauthorized(Problem.CodeEnum.INVALID_ADMIN_TOKEN, t.writeClient, () -> new AdminApi(t.writeClient).listApiKeys(t.slug, null, null));
    }

    @Test
    void readKeyCannotWrite() throws ApiException {
        ClientOrg t = organization();
        Problem problem = fails(403, Problem.CodeEnum.INSUFFICIENT_SCOPE, t.readClient,
                () -> t.reader.registerRunner(registration("reader", List.of(), 2)));
        assertTrue(problem.getDetail().contains("runners:write"), problem::getDetail);
        Runner runner = register(t, "writer", List.of(), 2);
        fails(403, Problem.CodeEnum.INSUFFICIENT_SCOPE, t.readClient,
                () -> t.reader.sendHeartbeat(runner.getId(), new Heartbeat().status(HeartbeatStatus.ONLINE)));
        fails(403, Problem.CodeEnum.INSUFFICIENT_SCOPE, t.readClient, () -> t.podReader.reportPod(runner.getId(), "r-1",
                new ReportPod().status(PodStatus.RUNNING).agentTypeId(AGENT)));
        fails(403, Problem.CodeEnum.INSUFFICIENT_SCOPE, t.readClient, () -> t.reader.deleteRunner(runner.getId()));
        assertEquals(List.of(runner.getId()), ids(t.reader.listRunners(null, null, null, null, null), 1));
        assertEquals(RunnerStatus.OFFLINE, t.reader.getRunner(runner.getId(), null).getRunner().getStatus());
    }

    @Test
    void invalidBodyListsEveryBadField() throws ApiException {
        ClientOrg t = organization();
        Problem register = fails(400, Problem.CodeEnum.INVALID_FIELD, t.writeClient,
                () -> t.writer.registerRunner(registration("not a name!", List.of(), 0)));
        assertEquals(Set.of("name", "max_pods"), Set.copyOf(fields(register)));
        assertEquals(0L, t.reader.listRunners(null, null, null, null, null).getTotal(), "a rejected request changes nothing");

        Runner runner = register(t, "valid", List.of(), 2);
        Problem heartbeat = fails(400, Problem.CodeEnum.INVALID_FIELD, t.writeClient,
                () -> t.writer.sendHeartbeat(runner.getId(), new Heartbeat().status(HeartbeatStatus.ONLINE).maxPods(1001)));
        assertEquals(List.of("max_pods"), fields(heartbeat));
        Problem pod = fails(400, Problem.CodeEnum.INVALID_FIELD, t.writeClient, () -> t.podWriter.reportPod(runner.getId(),
                "p-1", new ReportPod().status(PodStatus.RUNNING).agentTypeId("Not An Agent")));
        assertEquals(List.of("agent_type_id"), fields(pod));

        Problem key = fails(400, Problem.CodeEnum.INVALID_FIELD, adminClient,
                () -> admin.createApiKey(t.slug, new CreateApiKey().name("empty").scopes(Set.of())));
        assertEquals(List.of("scopes"), fields(key));
        Problem org = fails(400, Problem.CodeEnum.INVALID_FIELD, adminClient,
                () -> admin.createOrganization(new CreateOrganization().slug("-Bad-").name("Bad")));
        assertEquals(List.of("slug"), fields(org));
    }

    @Test
    void podConflictsAreTyped() throws ApiException {
        ClientOrg t = organization();
        Runner one = register(t, "one", List.of(), 5);
        Runner two = register(t, "two", List.of(), 5);
        report(t, one, "p-1", PodStatus.RUNNING, "prompt", 201);
        report(t, one, "p-1", PodStatus.COMPLETED, "prompt", 200);

        fails(409, Problem.CodeEnum.INVALID_TRANSITION, t.writeClient, () -> t.podWriter.reportPod(one.getId(), "p-1",
                new ReportPod().status(PodStatus.RUNNING).agentTypeId(AGENT).initialPrompt("prompt")));
        assertEquals(PodStatus.COMPLETED, report(t, one, "p-1", PodStatus.COMPLETED, "prompt", 200).getStatus());

        report(t, one, "p-2", PodStatus.RUNNING, null, 201);
        fails(409, Problem.CodeEnum.IMMUTABLE_FIELD, t.writeClient, () -> t.podWriter.reportPod(one.getId(), "p-2",
                new ReportPod().status(PodStatus.PAUSED).agentTypeId("another-agent")));
        fails(409, Problem.CodeEnum.POD_KEY_TAKEN, t.writeClient, () -> t.podWriter.reportPod(two.getId(), "p-2",
                new ReportPod().status(PodStatus.RUNNING).agentTypeId(AGENT)));
        PodPage pods = t.podReader.listRunnerPods(one.getId(), null, null, null, null);
        assertEquals(Set.of("p-1", "p-2"), Set.copyOf(keys(pods)));
        assertEquals(0L, t.podReader.listRunnerPods(two.getId(), null, null, null, null).getTotal());
    }

    @Test
    void existingOrganizationIsAConflict() throws ApiException {
        ClientOrg t = organization();
        fails(409, Problem.CodeEnum.ORGANIZATION_EXISTS, adminClient,
                () -> admin.createOrganization(new CreateOrganization().slug(t.slug).name("Again")));
    }

    // ---------------------------------------------------------------------------------------------

    /** An organization with a write key and a read key, and generated APIs for each key. */
    @Test
    void theChangeFeedByLongPollAndAConditionalRead() throws ApiException {
        ClientOrg t = organization();
        EventsApi events = new EventsApi(t.readClient);
        // (re)start: the current version without waiting, then follow from it
        EventBatch start = events.followEvents(null, 0, null, null, null);
        assertEquals(List.of(), start.getEvents());
        assertEquals(0L, start.getVersion());

        Runner runner = register(t, "followed", List.of(), 2);
        t.writer.sendHeartbeat(runner.getId(), new Heartbeat().status(HeartbeatStatus.ONLINE));
        t.writer.sendHeartbeat(runner.getId(), new Heartbeat().status(HeartbeatStatus.ONLINE));
        t.writer.updateRunner(runner.getId(), new RunnerPatch().schedulable(false));
        EventBatch batch = events.followEvents(start.getVersion(), 5, 100, null, null);
        assertEquals(List.of(EventType.RUNNER_REGISTERED, EventType.RUNNER_CHANGED, EventType.RUNNER_CHANGED),
                batch.getEvents().stream().map(Event::getType).toList(), "the repeated heartbeat emitted nothing");
        assertEquals(List.of(1L, 2L, 3L), batch.getEvents().stream().map(Event::getVersion).toList());
        assertEquals(3L, batch.getVersion());
        Event cordoned = batch.getEvents().get(2);
        assertEquals(Boolean.FALSE, cordoned.getRunner().getSchedulable());
        assertNull(cordoned.getPod());
        assertEquals(0, events.followEvents(3L, 1, null, null, null).getEvents().size(), "nothing new within the wait");
        fails(400, Problem.CodeEnum.INVALID_PARAMETER, t.readClient, () -> events.followEvents(4L, 0, null, null, null));

        // a conditional read: a 304 while the body would be the same, a new tag once it changed
        ApiResponse<RunnerEnvelope> tagged = t.reader.getRunnerWithHttpInfo(runner.getId(), null);
        String etag = tagged.getHeaders().get("ETag").get(0);
        assertTrue(etag.startsWith("W/\""), etag);
        ApiException notModified = assertThrows(ApiException.class, () -> t.reader.getRunner(runner.getId(), etag));
        assertEquals(304, notModified.getCode());
        t.writer.updateRunner(runner.getId(), new RunnerPatch().schedulable(true));
        ApiResponse<RunnerEnvelope> changed = t.reader.getRunnerWithHttpInfo(runner.getId(), etag);
        assertEquals(200, changed.getStatusCode());
        assertFalse(etag.equals(changed.getHeaders().get("ETag").get(0)));
    }

    /**
     * A new organization made through the generated admin client, with its keys and the generated clients
     * that send them: what {@link ApiContract.Org} is to the other suites, in the generated client's types.
     */
    record ClientOrg(String slug, ApiKey writeKey, ApiKey readKey, ApiClient writeClient, ApiClient readClient,
                     RunnersApi writer, RunnersApi reader, PodsApi podWriter, PodsApi podReader) {
    }

    ClientOrg organization() throws ApiException {
        String slug = "gc-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "Generated client " + slug;
        ApiResponse<OrganizationEnvelope> created =
                admin.createOrganizationWithHttpInfo(new CreateOrganization().slug(slug).name(name));
        assertEquals(201, created.getStatusCode());
        Organization organization = created.getData().getOrganization();
        assertEquals(slug, organization.getSlug());
        assertEquals(name, organization.getName());
        assertTrue(organization.getId() >= 1);
        assertNotNull(organization.getCreatedAt());
        assertEquals(List.of("/api/v1/admin/organizations/" + slug), created.getHeaders().get("Location"));

        CreatedApiKey write = createKey(slug, "agents", ApiKeyScope.WRITE);
        CreatedApiKey read = createKey(slug, "scheduler", ApiKeyScope.READ);
        ApiClient writeClient = clients.bearer(write.getSecret());
        ApiClient readClient = clients.bearer(read.getSecret());
        return new ClientOrg(slug, write.getApiKey(), read.getApiKey(), writeClient, readClient,
                new RunnersApi(writeClient), new RunnersApi(readClient), new PodsApi(writeClient), new PodsApi(readClient));
    }

    private CreatedApiKey createKey(String slug, String name, ApiKeyScope scope) throws ApiException {
        ApiResponse<CreatedApiKey> response =
                admin.createApiKeyWithHttpInfo(slug, new CreateApiKey().name(name).scopes(Set.of(scope)));
        assertEquals(201, response.getStatusCode());
        CreatedApiKey created = response.getData();
        assertTrue(created.getSecret().matches("rk_[A-Za-z0-9]{32,}"), "secret format");
        ApiKey key = created.getApiKey();
        assertEquals(name, key.getName());
        assertEquals(Set.of(scope), key.getScopes());
        assertTrue(created.getSecret().startsWith(key.getPrefix()), "the prefix is the start of the secret");
        assertTrue(key.getPrefix().length() < created.getSecret().length());
        assertNull(key.getRevokedAt());
        assertNull(key.getExpiresAt());
        assertNull(key.getLastUsedAt());
        assertNotNull(key.getCreatedAt());
        return created;
    }

    static RegisterRunner registration(String name, List<String> labels, Integer maxPods) {
        RegisterRunner body = new RegisterRunner().name(name).version("1.2.0").os("linux").arch("amd64");
        if (!labels.isEmpty()) {
            body.labels(new ArrayList<>(labels));
        }
        if (maxPods != null) {
            body.maxPods(maxPods);
        }
        return body;
    }

    /** Registers through the write key: 201, Location, a fresh runner that is offline. */
    Runner register(ClientOrg t, String name, List<String> labels, Integer maxPods) throws ApiException {
        ApiResponse<RunnerEnvelope> response = t.writer.registerRunnerWithHttpInfo(registration(name, labels, maxPods));
        assertEquals(201, response.getStatusCode());
        Runner runner = response.getData().getRunner();
        assertEquals(List.of("/api/v1/runners/" + runner.getId()), response.getHeaders().get("Location"));
        assertEquals(name, runner.getName());
        assertEquals(RunnerStatus.OFFLINE, runner.getStatus(), "a new runner is offline");
        assertNull(runner.getLastHeartbeatAt());
        assertEquals(0, runner.getPodCount());
        if (maxPods != null) {
            assertEquals(maxPods, runner.getMaxPods());
        }
        assertEquals(labels.stream().distinct().sorted().toList(), labels(runner));
        return runner;
    }

    Pod report(ClientOrg t, Runner runner, String key, PodStatus status, String prompt, int expectedStatus)
            throws ApiException {
        ReportPod body = new ReportPod().status(status).agentTypeId(AGENT);
        if (prompt != null) {
            body.initialPrompt(prompt);
        }
        ApiResponse<PodEnvelope> response = t.podWriter.reportPodWithHttpInfo(runner.getId(), key, body);
        assertEquals(expectedStatus, response.getStatusCode(), () -> "PUT pod " + key + " " + status);
        Pod pod = response.getData().getPod();
        assertEquals(key, pod.getKey());
        assertEquals(status, pod.getStatus());
        return pod;
    }

    /** The generated call fails with an ApiException carrying {@code status} and a problem with {@code code}. */
    static Problem fails(int status, Problem.CodeEnum code, ApiClient client, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(status, e.getCode(), e::getMessage);
        assertNotNull(e.getResponseHeaders(), e::getMessage);
        String contentType = e.getResponseHeaders().firstValue("Content-Type").orElse("");
        assertTrue(contentType.startsWith("application/problem+json"), () -> "Content-Type " + contentType);
        Problem problem = GeneratedClients.problem(client, e);
        assertEquals(code, problem.getCode(), e::getMessage);
        assertEquals(status, problem.getStatus());
        assertEquals("https://runners.dev/problems/" + code.getValue().toLowerCase(Locale.ROOT).replace('_', '-'),
                problem.getType());
        assertFalse(problem.getTitle().isBlank());
        assertFalse(problem.getDetail().isBlank());
        if (problem.getErrors() != null) {
            for (ProblemError error : problem.getErrors()) {
                assertTrue(error.getParameter() == null ^ error.getField() == null,
                        () -> "exactly one of parameter and field: " + error);
                assertFalse(error.getMessage().isBlank());
            }
        }
        return problem;
    }

    /** A 401 with the given code and a {@code WWW-Authenticate: Bearer} challenge. */
    static Problem unauthorized(Problem.CodeEnum code, ApiClient client, Executable call) {
        ApiException[] caught = new ApiException[1];
        Problem problem = fails(401, code, client, () -> {
            try {
                call.execute();
            } catch (ApiException e) {
                caught[0] = e;
                throw e;
            }
        });
        String challenge = caught[0].getResponseHeaders().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.startsWith("Bearer"), () -> "WWW-Authenticate: " + challenge);
        assertNull(problem.getErrors());
        return problem;
    }

    static List<String> parameters(Problem problem) {
        assertNotNull(problem.getErrors(), "an input error lists the offending parameters");
        problem.getErrors().forEach(e -> assertNull(e.getField(), () -> "a parameter error names no field: " + e));
        return problem.getErrors().stream().map(ProblemError::getParameter).toList();
    }

    static List<String> fields(Problem problem) {
        assertNotNull(problem.getErrors(), "an input error lists the offending fields");
        problem.getErrors().forEach(e -> assertNull(e.getParameter(), () -> "a field error names no parameter: " + e));
        return problem.getErrors().stream().map(ProblemError::getField).toList();
    }

    static List<Long> ids(RunnerList list, long total) {
        assertEquals(total, list.getTotal(), () -> "total of " + list);
        return list.getRunners().stream().map(Runner::getId).toList();
    }

    /** Every value of a response header, whatever the case of its name. */
    static List<String> header(ApiResponse<?> response, String name) {
        return response.getHeaders().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream())
                .toList();
    }

    static List<String> keys(PodPage page) {
        return keys(page.getPods());
    }

    static List<String> keys(List<Pod> pods) {
        return pods.stream().map(Pod::getKey).toList();
    }

    static List<String> labels(Runner runner) {
        return List.copyOf(runner.getLabels());
    }
}
