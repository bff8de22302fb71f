package dev.runners.server.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import dev.runners.server.fuzz.Credentials.Credential;
import dev.runners.server.fuzz.Plan.Expectation;
import dev.runners.server.support.ContractValidator;
import dev.runners.server.support.TestClock;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * Sends requests generated from the published OpenAPI document to the running server and checks every
 * answer ({@link Oracle}). It first builds real state through the API (two organizations, keys of each
 * kind, runners and pods), so that generated paths mostly name rows that exist; then every answer
 * teaches it which rows exist. One thread, one {@link Random}: a seed gives the same requests again.
 */
public final class ContractFuzzer {
    private static final String ORGANIZATIONS = "/api/v1/admin/organizations";
    private static final String RUNNERS = "/api/v1/runners";
    /** Far above any answer's time, even on a loaded machine; a request that hangs is a finding, not a hung build. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    /** One answer that is not what the contract allows. */
    public record Finding(String request, int status, String answer, List<String> problems) {
        @Override
        public String toString() {
            return "  " + request + "\n      -> " + status + " " + Plan.abbreviate(answer.replace('\n', ' '), 400)
                    + problems.stream().map(p -> "\n      ! " + p.replace("\n", "\n        "))
                    .collect(Collectors.joining());
        }
    }

    /** What a run did and found. */
    public record Report(long seed, int requests, Duration took, Map<Integer, Integer> statuses,
                         Map<String, Map<Integer, Integer>> byOperation, Map<String, Integer> byMutation,
                         List<Finding> findings, Set<String> operationsNeverSucceeded) {
        public String summary() {
            StringBuilder text = new StringBuilder();
            text.append(String.format("Contract fuzzing: seed %d (repeat with -Drunners.fuzz.seed=%d), "
                    + "%d requests in %.1f s%n", seed, seed, requests, took.toMillis() / 1000.0));
            text.append("  answers by status: ").append(counts(statuses)).append('\n');
            text.append("  by operation:\n");
            byOperation.forEach((op, counts) -> text.append(String.format("    %-55s %s%n", op, counts(counts))));
            text.append("  by mutation: ").append(byMutation.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))).append('\n');
            text.append("  findings: ").append(findings.size());
            return text.toString();
        }

        public String findingsText(int max) {
            return findings.stream().limit(max).map(Finding::toString).collect(Collectors.joining("\n"))
                    + (findings.size() > max ? "\n  ... and " + (findings.size() - max) + " more" : "");
        }

        private static String counts(Map<Integer, Integer> counts) {
            return counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
        }
    }

    private final ContractModel model = ContractModel.read(ContractValidator.document());
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private final long seed;
    private final TestClock clock;
    private final World world = new World();
    private final Credentials credentials;
    private final List<String> secrets = new ArrayList<>();
    private final Oracle oracle;

    /**
     * @param base    the server's address
     * @param clock   the server's clock, moved forward once so that a key expires
     */
    public ContractFuzzer(URI base, String adminToken, long seed, TestClock clock) {
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.seed = seed;
        this.clock = clock;
        this.credentials = new Credentials(adminToken);
        this.secrets.add(adminToken);
        this.oracle = new Oracle(model, world, secrets);
        model.checkPatterns();
    }

    public Report run(int requests) {
        Random random = new Random(seed);
        setUp();
        RequestFactory factory = new RequestFactory(model, world, credentials, random);
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Map<Integer, Integer>> byOperation = new TreeMap<>();
        Map<String, Integer> byMutation = new TreeMap<>();
        List<Finding> findings = new ArrayList<>();
        Set<String> neverSucceeded = new LinkedHashSet<>();
        model.operations().forEach(op -> neverSucceeded.add(op.toString()));
        long start = System.nanoTime();
        for (int i = 1; i <= requests; i++) {
            Plan plan = factory.next(i);
            Exchange exchange = exchange(plan);
            statuses.merge(exchange.status(), 1, Integer::sum);
            byOperation.computeIfAbsent(plan.operationName(), k -> new TreeMap<>())
                    .merge(exchange.status(), 1, Integer::sum);
            byMutation.merge(plan.mutation.replaceAll(":.*", ""), 1, Integer::sum);
            if (exchange.status() / 100 == 2 && plan.mutation.equals("valid")) {
                neverSucceeded.remove(plan.operationName());
            }
            if (!exchange.problems().isEmpty()) {
                findings.add(new Finding(plan.describe(), exchange.status(), exchange.body(), exchange.problems()));
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Report(seed, requests, took, statuses, byOperation, byMutation, findings, neverSucceeded);
    }

    /** A request sent and checked, after the world has learnt from its answer. */
    private record Exchange(int status, String body, List<String> problems) {
    }

    private Exchange exchange(Plan plan) {
        HttpResponse<String> response;
        try {
            response = send(plan);
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            return new Exchange(0, "", List.of("no answer: " + e));
        }
        learn(plan, response);
        return new Exchange(response.statusCode(), response.body(), oracle.check(plan, response));
    }

    private HttpResponse<String> send(Plan plan) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = plan.body == null ? HttpRequest.BodyPublishers.noBody()
                : plan.chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(plan.body))
                : HttpRequest.BodyPublishers.ofByteArray(plan.body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + plan.uri()))
                .timeout(ANSWER_WITHIN)
                .method(plan.method, body);
        plan.headers.forEach(h -> request.header(h[0], h[1]));
        if (plan.contentType != null) {
            request.header("Content-Type", plan.contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Rows created (Location, or the id of the created object, or the key a PUT named) and deleted. */
    private void learn(Plan plan, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status / 100 != 2 || plan.operation == null || plan.scope == null) {
            return;
        }
        String lastParam = plan.pathValues.isEmpty() ? null
                : plan.pathValues.keySet().stream().reduce((a, b) -> b).orElseThrow();
        String lastValue = lastParam == null ? null : plan.pathValues.get(lastParam);
        String parent = lastValue == null ? null : plan.path.substring(0, plan.path.lastIndexOf('/'));
        switch (plan.method) {
            case "POST" -> {
                if (status != 201) {
                    return;
                }
                var location = response.headers().firstValue("Location");
                if (location.isPresent()) {
                    String path = URI.create(location.get()).getPath();
                    int slash = path.lastIndexOf('/');
                    world.created(World.collection(plan.scope, path.substring(0, slash)), path.substring(slash + 1));
                } else {
                    createdObjectId(response.body()).ifPresent(id ->
                            world.created(World.collection(plan.scope, plan.path), id));
                }
            }
            case "PUT" -> {
                if (parent != null) {
                    world.created(World.collection(plan.scope, parent), lastValue);
                }
            }
            case "DELETE" -> {
                if (parent != null) {
                    world.deleted(World.collection(plan.scope, parent), lastValue);
                }
            }
            default -> {
            }
        }
    }

    /** The {@code id} of the one object a creation answers with, such as {@code {"api_key": {"id": 7}}}. */
    private static java.util.Optional<String> createdObjectId(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            JsonObject answer = reader.readObject();
            for (JsonValue value : answer.values()) {
                if (value instanceof JsonObject object && object.containsKey("id")) {
                    return java.util.Optional.of(object.get("id").toString());
                }
            }
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }

    // ------------------------------------------------------------------------------------------ set-up

    /**
     * Two organizations through the admin API: "home", whose keys the fuzzer uses (read, write, both, one
     * revoked, one expired), and "other", whose runners and keys must stay invisible to home's keys.
     */
    private void setUp() {
        String home = "fuzz-home";
        String other = "fuzz-other";
        for (String slug : List.of(home, other)) {
            setUpRequest("POST", ORGANIZATIONS, credentials.admin, "{\"slug\":\"" + slug + "\",\"name\":\"Fuzz\"}",
                    201);
        }
        credentials.home.add(key(home, "read key", List.of(Credentials.READ), null));
        credentials.home.add(key(home, "write key", List.of(Credentials.WRITE), null));
        credentials.home.add(key(home, "read-write key", List.of(Credentials.READ, Credentials.WRITE), null));
        Credential revoked = key(home, "revoked key", List.of(Credentials.READ, Credentials.WRITE), null);
        setUpRequest("DELETE", ORGANIZATIONS + "/" + home + "/api-keys/" + keyId(revoked), credentials.admin, null,
                204);
        credentials.revoked = revoked;
        Instant soon = clock.instant().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
        credentials.expired = key(home, "expired key", List.of(Credentials.READ, Credentials.WRITE), soon);
        clock.advance(Duration.ofSeconds(60));
        Credential otherKey = key(other, "other organization's key", List.of(Credentials.READ, Credentials.WRITE),
                null);

        Credential write = credentials.home.get(1);
        for (int i = 1; i <= 6; i++) {
            String labels = i % 2 == 0 ? "[\"gpu\",\"high-memory\"]" : i % 3 == 0 ? "[\"gpu\"]" : "[]";
            runner(write, "home-" + i, labels, i <= 4, i <= 3 ? i : 0);
        }
        for (int i = 1; i <= 3; i++) {
            runner(otherKey, "other-" + i, "[\"gpu\"]", i <= 2, i);
        }
    }

    private void runner(Credential key, String name, String labels, boolean online, int pods) {
        String body = setUpRequest("POST", RUNNERS, key, "{\"name\":\"" + name + "\",\"version\":\"1.0.0\","
                + "\"os\":\"linux\",\"arch\":\"amd64\",\"labels\":" + labels + ",\"max_pods\":" + (pods + 2) + "}",
                201);
        String id = idIn(body, "runner");
        if (online) {
            setUpRequest("POST", RUNNERS + "/" + id + "/heartbeat", key, "{\"status\":\"online\"}", 200);
        }
        String[] statuses = {"running", "initializing", "completed", "paused", "error"};
        for (int p = 0; p < pods; p++) {
            setUpRequest("PUT", RUNNERS + "/" + id + "/pods/" + name + "-pod-" + p, key,
                    "{\"status\":\"" + statuses[p % statuses.length] + "\",\"agent_type_id\":\"claude-code\"}", 201);
        }
    }

    private Credential key(String slug, String label, List<String> scopes, Instant expiresAt) {
        String body = setUpRequest("POST", ORGANIZATIONS + "/" + slug + "/api-keys", credentials.admin,
                "{\"name\":\"" + label + "\",\"scopes\":[" + scopes.stream().map(s -> "\"" + s + "\"")
                        .collect(Collectors.joining(",")) + "]"
                        + (expiresAt == null ? "" : ",\"expires_at\":\"" + expiresAt + "\"") + "}", 201);
        String id = idIn(body, "api_key");
        world.keep(World.collection("admin", ORGANIZATIONS + "/" + slug + "/api-keys"), id);
        String secret;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            secret = reader.readObject().getString("secret");
        }
        secrets.add(secret);
        return new Credential(label + " " + id, slug, Set.copyOf(scopes), secret);
    }

    private String keyId(Credential key) {
        return key.label().substring(key.label().lastIndexOf(' ') + 1);
    }

    /** A set-up request: it must get {@code status} and pass the oracle like any other. */
    private String setUpRequest(String method, String path, Credential credential, String json, int status) {
        Plan plan = new Plan(0, model.find(method, path).orElseThrow(), "set-up");
        plan.method = method;
        plan.path = path;
        plan.scope = credential.scope();
        plan.credential = credential.label();
        plan.headers.add(new String[] {"Authorization", "Bearer " + credential.secret()});
        String[] segments = path.split("/");
        plan.pathValues.put("last", segments[segments.length - 1]);
        if (json != null) {
            plan.body = json.getBytes(StandardCharsets.UTF_8);
            plan.contentType = "application/json";
        }
        plan.expectation = Expectation.valid();
        Exchange exchange = exchange(plan);
        if (exchange.status() != status || !exchange.problems().isEmpty()) {
            throw new IllegalStateException("set-up failed: " + plan.describe() + " -> " + exchange.status() + " "
                    + exchange.body() + " " + exchange.problems());
        }
        return exchange.body();
    }

    private static String idIn(String body, String member) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject().getJsonObject(member).get("id").toString();
        }
    }
}
