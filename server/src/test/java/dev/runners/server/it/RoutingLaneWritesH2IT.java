package dev.runners.server.it;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import dev.runners.server.support.Http;
import dev.runners.server.support.OnEmbeddedDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The routing lane's writes (heartbeats and pod reports served on the web server's routing, ahead of
 * JAX-RS) answer exactly as JAX-RS does. Two agents of two organizations, alike in everything, send the same
 * conversation, one with bodies of a declared length (which the lane serves) and one with chunked
 * bodies (which it hands on to JAX-RS): each answer, status, headers and body, must be the same but
 * for the ids, times and the date. Runs on the embedded database: the lane is above the store.
 */
@OnEmbeddedDatabase
class RoutingLaneWritesH2IT extends ApiContract {
    private static final String BIG = "{\"status\":\"online\",\"version\":\"" + "1".repeat(1024 * 1024) + "\"}";

    /** An agent's organization and runner. */
    private record Agent(Org t, long runner) {
        String runnerPath() {
            return RUNNERS + "/" + runner;
        }
    }

    /** One request of the conversation: its method, its path for an agent, its body, and which key it shows. */
    private record Step(String name, String method, Function<Agent, String> path, String body, boolean readKey) {
        static Step heartbeat(String name, String body) {
            return new Step(name, "POST", a -> a.runnerPath() + "/heartbeat", body, false);
        }

        static Step pod(String name, String key, String body) {
            return new Step(name, "PUT", a -> a.runnerPath() + "/pods/" + key, body, false);
        }
    }

    private static final List<Step> CONVERSATION = List.of(
            Step.heartbeat("first heartbeat", "{\"status\":\"online\"}"),
            Step.heartbeat("quiet heartbeat", "{\"status\":\"online\"}"),
            Step.heartbeat("new version", "{\"status\":\"online\",\"version\":\"2.0.0\",\"labels\":[\"gpu\",\"arm\"]}"),
            Step.heartbeat("unknown status", "{\"status\":\"sleepy\",\"extra\":1}"),
            Step.heartbeat("malformed", "{\"status\": "),
            Step.heartbeat("duplicate key", "{\"status\":\"online\",\"status\":\"offline\"}"),
            Step.heartbeat("not an object", "[]"),
            Step.heartbeat("over 1 MiB", BIG),
            new Step("unknown runner", "POST", a -> RUNNERS + "/987654321/heartbeat", "{\"status\":\"online\"}", false),
            new Step("id not a number", "POST", a -> RUNNERS + "/abc/heartbeat", "{\"status\":\"online\"}", false),
            new Step("read-only key", "POST", a -> a.runnerPath() + "/heartbeat", "{\"status\":\"online\"}", true),
            Step.pod("new pod", "pod-1", "{\"status\":\"running\",\"agent_type_id\":\"claude-code\",\"initial_prompt\":\"Fix\"}"),
            Step.pod("same report", "pod-1", "{\"status\":\"running\",\"agent_type_id\":\"claude-code\",\"initial_prompt\":\"Fix\"}"),
            Step.pod("immutable field", "pod-1", "{\"status\":\"running\",\"agent_type_id\":\"other\"}"),
            Step.pod("second pod", "pod-2", "{\"status\":\"running\",\"agent_type_id\":\"a\"}"),
            Step.pod("beyond max_pods", "pod-3", "{\"status\":\"running\",\"agent_type_id\":\"a\"}"),
            Step.pod("completed", "pod-1", "{\"status\":\"completed\",\"agent_type_id\":\"claude-code\"}"),
            Step.pod("back to running", "pod-1", "{\"status\":\"running\",\"agent_type_id\":\"claude-code\"}"),
            Step.pod("key too long", "k".repeat(300), "{\"status\":\"running\",\"agent_type_id\":\"a\"}"),
            Step.pod("missing field", "pod-4", "{\"status\":\"running\"}"),
            Step.heartbeat("busy runner", "{\"status\":\"online\"}"),
            Step.heartbeat("offline", "{\"status\":\"offline\"}"));

    @Test
    void theLaneAnswersEveryStepOfAConversationAsJaxRsDoes() {
        Agent sized = agent();
        Agent chunked = agent();
        for (Step step : CONVERSATION) {
            Http.Reply lane = send(step, sized, HttpRequest.BodyPublishers.ofString(step.body()));
            Http.Reply jaxRs = send(step, chunked, HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(step.body().getBytes(StandardCharsets.UTF_8))));
            assertEquals(answer(jaxRs, chunked), answer(lane, sized), step.name());
        }
    }

    @Test
    void theConversationCoversSuccessesAndRefusals() {
        Agent agent = agent();
        List<Integer> statuses = CONVERSATION.stream()
                .map(step -> send(step, agent, HttpRequest.BodyPublishers.ofString(step.body())).status())
                .toList();
        assertEquals(List.of(200, 200, 200, 400, 400, 400, 400, 413, 404, 400, 403,
                201, 200, 409, 201, 201, 200, 409, 400, 400, 200, 200), statuses);
    }

    private Agent agent() {
        Org t = organization();
        return new Agent(t, fx.runner(t.write(), "agent", List.of("gpu"), 2));
    }

    private Http.Reply send(Step step, Agent agent, HttpRequest.BodyPublisher body) {
        String key = step.readKey() ? agent.t().read() : agent.t().write();
        return http.call(step.method(), step.path().apply(agent))
                .body("application/json", body)
                .headers("Authorization", "Bearer " + key)
                .send();
    }

    /** Status, headers (but the date) and body, with the agent's own runner id and every time left out. */
    private static String answer(Http.Reply reply, Agent agent) {
        Map<String, List<String>> headers = new TreeMap<>(reply.response().headers().map());
        headers.remove("date");
        assertTrue(headers.containsKey("content-type"), reply::toString);
        String body = reply.body()
                .replace("\"id\":" + agent.runner() + ",", "\"id\":RUNNER,")
                .replace("runner " + agent.runner() + " ", "runner RUNNER ")
                .replaceAll("\"(created_at|last_heartbeat_at)\":\"[^\"]+\"", "\"$1\":\"T\"");
        return reply.status() + " " + headers + " " + body;
    }
}
