package dev.runners.server.fuzz;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.runners.server.fuzz.ContractModel.Operation;
import dev.runners.server.fuzz.Plan.Expectation;
import dev.runners.server.support.ContractValidator;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * What every answer must be, whatever was asked: never a 5xx; every error an RFC 9457 problem with a
 * code of the contract's list (and of the operation's, where it lists them) that names the offending
 * parameter or field; every answer as the document describes it (status, headers, body); no secret,
 * stack trace or driver text; and what the request's {@link Expectation} allows.
 */
final class Oracle {
    /** Where the fuzzer knows which rows an answer may show: runners, by the organization that sees them. */
    private static final Set<String> RUNNER_MEMBERS = Set.of("runner", "runners");
    private static final String RUNNERS = "/api/v1/runners";
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception|\\tat |org\\.h2|org\\.postgresql|SQLState|java\\.lang|jakarta\\.|io\\.helidon|org\\.glassfish");

    private final ContractModel model;
    private final World world;
    private final List<String> secrets;

    Oracle(ContractModel model, World world, List<String> secrets) {
        this.model = model;
        this.world = world;
        this.secrets = secrets;
    }

    List<String> check(Plan plan, HttpResponse<String> response) {
        List<String> problems = new ArrayList<>();
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status >= 500) {
            problems.add("a server error (" + status + ")");
        }
        // (the validator matches paths regardless of case, so it would judge /API/v1/runners by /api/v1/runners)
        if (model.describes(response.uri().getRawPath())) {
            try {
                ContractValidator.check(plan.method, response.uri(), response);
            } catch (AssertionError e) {
                problems.add(e.getMessage().replaceAll("\nbody: (?s).*", ""));
            }
        }
        for (String secret : secrets) {
            if (body.contains(secret)) {
                problems.add("the answer shows a secret");
            }
        }
        JsonObject problem = null;
        if (status >= 400) {
            problem = problem(plan, response, body, problems);
        }
        Expectation expected = plan.expectation;
        String code = problem == null ? null : problem.getString("code", null);
        if (!expected.allows(status)) {
            problems.add("answered " + status + (code == null ? "" : " " + code) + " where the contract allows "
                    + expected);
        } else if (status >= 400 && code != null && !expected.errors().get(status).isEmpty()
                && !expected.errors().get(status).contains(code)) {
            problems.add("answered " + status + " " + code + " where the contract allows " + expected);
        }
        if (problem != null && !expected.named().isEmpty() && status == 400 && code != null
                && code.endsWith(expected.kind() == Plan.Kind.PARAMETER ? "_PARAMETER" : "_FIELD")) {
            List<String> names = names(problem, expected.kind());
            for (String name : expected.named()) {
                if (names.stream().noneMatch(n -> n.equals(name) || n.startsWith(name + "[")
                        || n.startsWith(name + "."))) {
                    problems.add("the 400 names " + names + ", not the " + expected.kind().name().toLowerCase()
                            + " '" + name + "'");
                }
            }
        }
        if (status / 100 == 2 && !plan.scope.equals("admin") && !plan.scope.equals("public")) {
            tenancy(plan.scope, body, problems);
        }
        return problems;
    }

    private JsonObject problem(Plan plan, HttpResponse<String> response, String body, List<String> problems) {
        int status = response.statusCode();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            problems.add("an error that is not application/problem+json but '" + type + "'");
            return null;
        }
        JsonObject problem;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            problem = reader.readObject();
        } catch (RuntimeException e) {
            problems.add("a problem that is not a JSON object");
            return null;
        }
        String code = problem.getString("code", null);
        if (code == null || !model.problemCodes().contains(code)) {
            problems.add("the code " + code + " is not in the contract's list");
        }
        if (problem.getInt("status", -1) != status) {
            problems.add("the problem's status " + problem.get("status") + " is not the answer's " + status);
        }
        for (String member : List.of("type", "title", "detail")) {
            JsonValue value = problem.get(member);
            if (value == null || value.getValueType() != JsonValue.ValueType.STRING
                    || problem.getString(member).isBlank()) {
                problems.add("the problem has no " + member);
            }
        }
        if (INTERNALS.matcher(body).find()) {
            problems.add("the problem shows the server's internals");
        }
        if (status == 400 && code != null && (code.endsWith("_PARAMETER") || code.endsWith("_FIELD"))) {
            Plan.Kind kind = code.endsWith("_PARAMETER") ? Plan.Kind.PARAMETER : Plan.Kind.FIELD;
            if (names(problem, kind).isEmpty()) {
                problems.add(code + " without errors naming the " + kind.name().toLowerCase());
            }
        }
        if (status == 401 && !response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
            problems.add("a 401 without WWW-Authenticate: Bearer");
        }
        if ((status == 429 || status == 503) && response.headers().firstValue("Retry-After").isEmpty()) {
            problems.add("a " + status + " without Retry-After");
        }
        Optional<Operation> operation = model.find(plan.method, response.uri().getRawPath());
        if (code != null && operation.isPresent() && !operation.get().codes(status).isEmpty()
                && !operation.get().codes(status).contains(code)) {
            problems.add("the code " + code + " is not one the document shows for " + status + " of "
                    + operation.get() + " " + operation.get().codes(status));
        }
        return problem;
    }

    /** The names in {@code errors}: each entry's {@code parameter} (or {@code field}) member. */
    private static List<String> names(JsonObject problem, Plan.Kind kind) {
        List<String> names = new ArrayList<>();
        JsonValue errors = problem.get("errors");
        if (errors instanceof JsonArray array) {
            String member = kind == Plan.Kind.PARAMETER ? "parameter" : "field";
            for (JsonValue error : array) {
                if (error instanceof JsonObject e && e.get(member) instanceof jakarta.json.JsonString name) {
                    names.add(name.getString());
                }
            }
        }
        return names;
    }

    /** Every runner an organization is shown is one of its own that exists. */
    private void tenancy(String scope, String body, List<String> problems) {
        if (body.isEmpty() || !body.startsWith("{")) {
            return;
        }
        JsonObject answer;
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            answer = reader.readObject();
        } catch (RuntimeException e) {
            return;
        }
        Set<String> own = world.live(World.collection(scope, RUNNERS));
        for (String member : RUNNER_MEMBERS) {
            JsonValue value = answer.get(member);
            List<JsonValue> runners = value instanceof JsonArray array ? array
                    : value instanceof JsonObject ? List.of(value) : List.of();
            for (JsonValue runner : runners) {
                if (runner instanceof JsonObject r && r.containsKey("id") && !own.contains(r.get("id").toString())) {
                    problems.add("the answer shows runner " + r.get("id") + ", which is not a live runner of " + scope);
                }
            }
        }
    }
}
