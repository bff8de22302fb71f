package dev.runners.server.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import dev.runners.server.fuzz.ContractModel.Operation;
import dev.runners.server.fuzz.ContractModel.Param;
import dev.runners.server.fuzz.Credentials.Credential;
import dev.runners.server.fuzz.Plan.Expectation;
import dev.runners.server.fuzz.SchemaValues.Candidate;
import dev.runners.server.fuzz.SchemaValues.Encoded;
import dev.runners.server.fuzz.SchemaValues.Verdict;
import io.swagger.v3.oas.models.media.Schema;

/**
 * Draws requests for the operations of the contract: first a valid one (values from the schemas, path
 * values mostly of rows that exist), then at most one mutation, with what the contract lets the server
 * answer to the result.
 */
final class RequestFactory {
    /** The ways a request is changed, with how often each is drawn where it applies. */
    enum Mutation {
        VALID(6), QUERY_VALUE(2), QUERY_UNKNOWN(1), QUERY_REPEATED(1), PATH_VALUE(2), OTHER_ORGANIZATION_ROW(1.5),
        FIELD_VALUE(3), TWO_FIELDS(1), FIELD_MISSING(1), FIELD_UNKNOWN(1), ODD_TEXT(1.2), BODY_MALFORMED(1.5),
        BODY_TOO_LARGE(0.15), CONTENT_TYPE(1), AUTH_MISSING(1), AUTH_INVALID(1), AUTH_REVOKED(0.4), AUTH_EXPIRED(0.4),
        AUTH_SCOPE(0.6), ADMIN_WITH_API_KEY(0.4), WRONG_METHOD(0.6), UNKNOWN_PATH(0.4);

        final double weight;

        Mutation(double weight) {
            this.weight = weight;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Query parameters whose good values the schema cannot tell, only the description: a long poll's
     * {@code wait} (any other value makes the server wait that long) and a feed's {@code since} (above
     * the current version it is a 400). Every request sends them with these values, unless it breaks
     * them on purpose.
     */
    private static final Map<String, String> STATE_BOUND = Map.of("wait", "0", "since", "0");
    /** Statuses a valid request may get from the state of the server: a conflict, a row that is gone. */
    private static final List<Integer> STATE_STATUSES = List.of(409, 410);
    private static final int MIB = 1024 * 1024;
    private static final String NOT_FOUND = "NOT_FOUND";
    private static final String INVALID_PARAMETER = "INVALID_PARAMETER";
    private static final String INVALID_FIELD = "INVALID_FIELD";
    private static final String MALFORMED_JSON = "MALFORMED_JSON";

    private final ContractModel model;
    private final World world;
    private final Credentials credentials;
    private final Random random;
    private final SchemaValues values;

    RequestFactory(ContractModel model, World world, Credentials credentials, Random random) {
        this.model = model;
        this.world = world;
        this.credentials = credentials;
        this.random = random;
        this.values = new SchemaValues(random);
    }

    Plan next(int index) {
        Operation op = operation();
        List<Mutation> applicable = Arrays.stream(Mutation.values()).filter(m -> applies(m, op)).toList();
        for (int attempt = 0; attempt < 5; attempt++) {
            Mutation mutation = weighted(applicable);
            Draft draft = new Draft(op, mutation == Mutation.OTHER_ORGANIZATION_ROW);
            Optional<String> what = mutate(mutation, draft);
            if (what.isPresent()) {
                return draft.toPlan(index, mutation.label() + (what.get().isEmpty() ? "" : ": " + what.get()));
            }
        }
        return new Draft(op, false).toPlan(index, Mutation.VALID.label());
    }

    /** An operation; those without credentials (health, the document) have little to vary and come less often. */
    private Operation operation() {
        double total = model.operations().stream().mapToDouble(RequestFactory::weight).sum();
        double r = random.nextDouble() * total;
        for (Operation op : model.operations()) {
            r -= weight(op);
            if (r < 0) {
                return op;
            }
        }
        return model.operations().get(model.operations().size() - 1);
    }

    private static double weight(Operation op) {
        return op.secured() ? 1 : 0.3;
    }

    private boolean applies(Mutation m, Operation op) {
        boolean refuses = op.declares(400);
        boolean body = op.hasBody() && op.body().getProperties() != null;
        boolean apiKey = op.security().contains(Credentials.ORGANIZATION_SCHEME);
        boolean admin = op.security().contains(Credentials.ADMIN_SCHEME);
        return switch (m) {
            case VALID -> true;
            case QUERY_VALUE -> refuses && !op.queryParams().isEmpty();
            case QUERY_UNKNOWN -> refuses;
            case QUERY_REPEATED -> refuses && op.queryParams().stream().anyMatch(p -> !p.repeatable());
            case PATH_VALUE -> refuses && !op.pathParams().isEmpty();
            case OTHER_ORGANIZATION_ROW -> op.declares(404) && !op.pathParams().isEmpty();
            case FIELD_VALUE, FIELD_UNKNOWN, BODY_MALFORMED -> refuses && body;
            case TWO_FIELDS -> refuses && body && op.body().getProperties().size() > 1;
            case FIELD_MISSING -> refuses && body && op.body().getRequired() != null;
            case ODD_TEXT -> refuses && body && op.body().getProperties().values().stream()
                    .anyMatch(SchemaValues::isFreeText);
            case BODY_TOO_LARGE -> op.hasBody() && op.declares(413);
            case CONTENT_TYPE -> op.hasBody() && op.declares(415);
            case AUTH_MISSING, AUTH_INVALID -> op.secured();
            case AUTH_REVOKED, AUTH_EXPIRED -> apiKey;
            case AUTH_SCOPE -> apiKey && credentials.home.stream().anyMatch(c -> !c.grants(op.requiredScopes()));
            case ADMIN_WITH_API_KEY -> admin;
            case WRONG_METHOD -> model.methodsByPath().get(op.path()).size() < ContractModel.METHODS.size();
            case UNKNOWN_PATH -> true;
        };
    }

    /** Changes the draft; empty when the mutation cannot be made to this request after all. */
    private Optional<String> mutate(Mutation m, Draft d) {
        Operation op = d.op;
        return switch (m) {
            case VALID -> Optional.of("");
            case QUERY_VALUE -> {
                Param p = pick(op.queryParams());
                Candidate c = pick(values.invalidInUri(p.schema(), false, validScalar(p)));
                d.query.removeIf(q -> q[0].equals(p.name()));
                if (c.value() instanceof List<?> many) {
                    many.forEach(v -> d.query.add(new Object[] {p.name(), String.valueOf(v)}));
                } else {
                    if (p.repeatable() && random.nextBoolean()) {
                        d.query.add(new Object[] {p.name(), values.validText(p.schema().getItems())});
                    }
                    d.query.add(new Object[] {p.name(), c.value()});
                }
                d.expectation = judged(c.verdict(), d, Plan.Kind.PARAMETER, INVALID_PARAMETER, p.name(), null);
                yield Optional.of(p.name() + " " + c.what());
            }
            case QUERY_UNKNOWN -> {
                List<String> names = new ArrayList<>(List.of("sort", "page", "q", "fields", "debug", "_", "",
                        "\u00F1", "limit[]", "x-" + random.nextInt(1000), "Status", "LIMIT", "label ", "offset."));
                op.queryParams().forEach(p -> names.remove(p.name()));
                String name = pick(names);
                // a bare "?" is no parameter at all; a nameless one needs its "=1"
                Object value = random.nextInt(4) == 0 && !name.isEmpty() ? null : "1";
                d.query.add(random.nextInt(d.query.size() + 1), new Object[] {name, value});
                d.expectation = withUnknownRows(Expectation.badParameter("UNKNOWN_PARAMETER", name), d, null);
                yield Optional.of("'" + name + "'" + (value == null ? " without a value" : ""));
            }
            case QUERY_REPEATED -> {
                Param p = pick(op.queryParams().stream().filter(q -> !q.repeatable()).toList());
                d.query.removeIf(q -> q[0].equals(p.name()));
                String first = validScalar(p);
                String second = random.nextBoolean() ? first : validScalar(p);
                d.query.add(new Object[] {p.name(), first});
                d.query.add(new Object[] {p.name(), second});
                d.expectation = withUnknownRows(Expectation.badParameter(INVALID_PARAMETER, p.name()), d, null);
                yield Optional.of(p.name() + " twice");
            }
            case PATH_VALUE -> {
                Param p = pick(op.pathParams());
                List<Candidate> candidates = values.invalidInUri(p.schema(), true, validScalar(p)).stream()
                        .filter(c -> !"".equals(c.value()))
                        .toList();
                Candidate c = pick(candidates);
                d.pathValues.put(p.name(), c.value());
                d.expectation = judged(c.verdict(), d, Plan.Kind.PARAMETER, INVALID_PARAMETER, p.name(), p.name());
                yield Optional.of(p.name() + " " + c.what());
            }
            case OTHER_ORGANIZATION_ROW -> {
                // a row that exists, seen from elsewhere: another organization's runner, another organization's key
                List<Param> rows = op.pathParams().stream().filter(p -> !d.upsert(p)).toList();
                for (Param p : rows) {
                    Optional<String> foreign = world.anySibling(d.collection(p), d.shape(p), random)
                            .filter(v -> !world.isLive(d.collection(p), v));
                    if (foreign.isPresent()) {
                        d.pathValues.put(p.name(), foreign.get());
                        d.expectation = Expectation.refused(404, NOT_FOUND);
                        yield Optional.of(p.name() + " " + foreign.get() + ", which exists only in another collection");
                    }
                }
                yield Optional.empty();
            }
            case FIELD_VALUE -> {
                String name = pick(new ArrayList<>(op.body().getProperties().keySet()));
                Candidate c = pick(values.invalid(op.body().getProperties().get(name)));
                d.body.put(name, c.value());
                d.expectation = judged(c.verdict(), d, Plan.Kind.FIELD, INVALID_FIELD, name, null);
                yield Optional.of(name + " " + c.what());
            }
            case TWO_FIELDS -> {
                // the contract: every bad field is listed in errors
                List<String> names = new ArrayList<>(op.body().getProperties().keySet());
                String first = names.remove(random.nextInt(names.size()));
                String second = pick(names);
                List<String> what = new ArrayList<>();
                for (String name : List.of(first, second)) {
                    List<Candidate> invalid = values.invalid(op.body().getProperties().get(name)).stream()
                            .filter(c -> c.verdict() == Verdict.INVALID).toList();
                    Candidate c = pick(invalid);
                    d.body.put(name, c.value());
                    what.add(name + " " + c.what());
                }
                d.expectation = withUnknownRows(Expectation.badFields(INVALID_FIELD, first, second), d, null);
                yield Optional.of(String.join(", ", what));
            }
            case FIELD_MISSING -> {
                String name = pick(op.body().getRequired());
                d.body.remove(name);
                d.expectation = withUnknownRows(Expectation.badFields(INVALID_FIELD, name), d, null);
                yield Optional.of(name);
            }
            case FIELD_UNKNOWN -> {
                List<String> names = new ArrayList<>(List.of("colour", "id", "created_at", "pod_count", "", " ",
                        "\u00F1ame", "Name", "STATUS", "extra", "__proto__", "labels[0]", "x".repeat(300)));
                names.removeAll(op.body().getProperties().keySet());
                String name = pick(names);
                d.body.put(name, random.nextBoolean() ? "x" : List.of(1));
                d.expectation = withUnknownRows(Expectation.badFields("UNKNOWN_FIELD", name), d, null);
                yield Optional.of("'" + SchemaValues.abbreviate(name) + "'");
            }
            case ODD_TEXT -> {
                List<String> free = op.body().getProperties().entrySet().stream()
                        .filter(e -> SchemaValues.isFreeText(e.getValue())).map(Map.Entry::getKey).toList();
                String name = pick(free);
                Candidate c = pick(values.oddText(op.body().getProperties().get(name)));
                d.body.put(name, c.value());
                d.expectation = judged(c.verdict(), d, Plan.Kind.FIELD, INVALID_FIELD, name, null);
                yield Optional.of(name + " " + c.what());
            }
            case BODY_MALFORMED -> Optional.of(malformedBody(d));
            case BODY_TOO_LARGE -> {
                String json = Json.write(d.body);
                d.rawBody = ("{" + " ".repeat(MIB) + json.substring(1)).getBytes(StandardCharsets.UTF_8);
                d.chunked = random.nextBoolean();
                d.expectation = Expectation.refused(413, "PAYLOAD_TOO_LARGE");
                yield Optional.of(d.chunked ? "1 MiB of white space, chunked" : "1 MiB of white space");
            }
            case CONTENT_TYPE -> {
                List<String> types = new ArrayList<>(Arrays.asList("text/plain", "application/xml",
                        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                        "application/json; charset=ISO-8859-1", "application/jsonx", "json", "*/*",
                        "application/problem+json", "application/merge-patch+json", "text/json", ";", null));
                types.removeIf(t -> t != null && op.bodyMediaTypes().contains(t));
                d.contentType = pick(types);
                d.expectation = withUnknownRows(Expectation.refused(415, "UNSUPPORTED_MEDIA_TYPE"), d, null);
                yield Optional.of(d.contentType == null ? "no Content-Type" : d.contentType);
            }
            case AUTH_MISSING -> {
                d.credential = null;
                d.expectation = Expectation.refused(401, "AUTH_REQUIRED");
                yield Optional.of("");
            }
            case AUTH_INVALID -> Optional.of(invalidCredential(d));
            case AUTH_REVOKED -> {
                d.credential = credentials.revoked;
                d.expectation = Expectation.refused(401, "INVALID_API_KEY");
                yield Optional.of("");
            }
            case AUTH_EXPIRED -> {
                d.credential = credentials.expired;
                d.expectation = Expectation.refused(401, "API_KEY_EXPIRED");
                yield Optional.of("");
            }
            case AUTH_SCOPE -> {
                d.credential = pick(credentials.home.stream().filter(c -> !c.grants(op.requiredScopes())).toList());
                d.expectation = Expectation.refused(403, "INSUFFICIENT_SCOPE");
                yield Optional.of(d.credential.label());
            }
            case ADMIN_WITH_API_KEY -> {
                d.credential = pick(credentials.home);
                d.presentation = "bearer";
                d.expectation = Expectation.refused(401, "INVALID_ADMIN_TOKEN");
                yield Optional.of(d.credential.label());
            }
            case WRONG_METHOD -> {
                List<String> others = new ArrayList<>(ContractModel.METHODS);
                others.removeAll(model.methodsByPath().get(op.path()));
                d.method = pick(others);
                boolean body = !d.method.equals("GET") && !d.method.equals("DELETE");
                d.rawBody = body ? "{}".getBytes(StandardCharsets.UTF_8) : null;
                d.contentType = body ? "application/json" : null;
                d.expectation = Expectation.refused(405, "METHOD_NOT_ALLOWED");
                yield Optional.of(d.method);
            }
            case UNKNOWN_PATH -> Optional.of(unknownPath(d));
        };
    }

    /** A good value of a parameter (of one item, for a repeatable one). */
    private String validScalar(Param p) {
        if (STATE_BOUND.containsKey(p.name())) {
            return STATE_BOUND.get(p.name());
        }
        return values.validText(p.repeatable() ? p.schema().getItems() : p.schema());
    }

    /** A body that is not one well-formed JSON object in UTF-8. */
    private String malformedBody(Draft d) {
        String json = Json.write(d.body);
        String key = d.body.keySet().stream().findFirst().orElse("x");
        List<String[]> variants = new ArrayList<>(List.of(
                new String[] {"cut short", json.substring(0, json.length() - 1)},
                new String[] {"a trailing comma",
                        json.length() > 2 ? json.substring(0, json.length() - 1) + ",}" : "{,}"},
                new String[] {"content after the object", json + (random.nextBoolean() ? " {}" : "x")},
                new String[] {"an array", "[" + json + "]"},
                new String[] {"a string", "\"" + key + "\""},
                new String[] {"a number", "42"},
                new String[] {"null", "null"},
                new String[] {"true", "true"},
                new String[] {"only white space", "  \n "},
                new String[] {"single quotes", json.replace('"', '\'')},
                new String[] {"a repeated key", "{\"" + key + "\":1," + json.substring(1)},
                new String[] {"NaN", "{\"" + key + "\":NaN}"},
                new String[] {"a comment", "{/* note */" + json.substring(1)},
                new String[] {"a raw control character in a string", "{\"" + key + "\":\"a\u0001b\"}"},
                new String[] {"nesting 3000 deep", "{\"" + key + "\":" + "[".repeat(3000) + "]".repeat(3000) + "}"},
                new String[] {"an unquoted key", "{" + key + ":1}"}));
        if (d.op.bodyRequired()) {
            variants.add(new String[] {"empty", ""});
        }
        d.expectation = withUnknownRows(Expectation.refused(400, MALFORMED_JSON), d, null);
        int variant = random.nextInt(variants.size() + 2);
        if (variant == variants.size()) {
            d.rawBody = concat(new byte[] {(byte) 0xC3, (byte) 0x28}, json.getBytes(StandardCharsets.UTF_8));
            return "bytes that are not UTF-8";
        }
        if (variant == variants.size() + 1) {
            d.rawBody = json.getBytes(StandardCharsets.UTF_16);
            return "UTF-16";
        }
        d.rawBody = variants.get(variant)[1].getBytes(StandardCharsets.UTF_8);
        return variants.get(variant)[0];
    }

    /** A path the document does not describe, near one it does. */
    private String unknownPath(Draft d) {
        String concrete = d.concretePath();
        List<String> paths = new ArrayList<>();
        for (String p : List.of("/api/v1/runnerz", "/api/v1/Runners", "/API/v1/runners", "/api/v2/runners",
                "/api/v1", "/api", "/nope", "/api/v1/admin", "/health/nope", "/openapi/nope", "/api/v1/%C3%B1",
                concrete + "/extra", concrete + "/0", "/api/v1/runners/1/pods/a/b")) {
            if (!model.describes(p)) {
                paths.add(p);
            }
        }
        d.pathOverride = pick(paths);
        d.query.clear();
        if (random.nextBoolean()) {
            d.credential = null;
        }
        d.expectation = Expectation.refused(404, NOT_FOUND);
        return d.pathOverride;
    }

    private String invalidCredential(Draft d) {
        boolean admin = d.op.security().contains(Credentials.ADMIN_SCHEME);
        String valid = admin ? credentials.admin.secret() : pick(credentials.home).secret();
        String unknownKey = "rk_" + randomBase62(40);
        String changed = valid.substring(0, valid.length() - 1) + (valid.endsWith("A") ? "B" : "A");
        String[][] variants = admin
                ? new String[][] {
                        {"a wrong token", "Authorization", "Bearer wrong-" + randomBase62(20), "INVALID_ADMIN_TOKEN"},
                        {"the token but one character", "Authorization", "Bearer " + changed, "INVALID_ADMIN_TOKEN"},
                        {"the token and one character", "Authorization", "Bearer " + valid + "x",
                                "INVALID_ADMIN_TOKEN"},
                        {"Basic credentials", "Authorization", "Basic dXNlcjpwYXNz", "INVALID_ADMIN_TOKEN"},
                        {"Bearer without a token", "Authorization", "Bearer", "INVALID_ADMIN_TOKEN"},
                        {"the token as X-API-Key", "X-API-Key", valid, "AUTH_REQUIRED"},
                        {"a token of 16 KiB", "Authorization", "Bearer " + "A".repeat(16 * 1024),
                                "INVALID_ADMIN_TOKEN"},
                }
                : new String[][] {
                        {"an unknown key", "Authorization", "Bearer " + unknownKey, "INVALID_API_KEY"},
                        {"an unknown key as X-API-Key", "X-API-Key", unknownKey, "INVALID_API_KEY"},
                        {"a key with one character changed", "Authorization", "Bearer " + changed, "INVALID_API_KEY"},
                        {"not a key", "Authorization", "Bearer not-a-key", "INVALID_API_KEY"},
                        {"the admin token", "Authorization", "Bearer " + credentials.admin.secret(), "INVALID_API_KEY"},
                        {"Basic credentials", "Authorization", "Basic dXNlcjpwYXNz", "AUTH_REQUIRED,INVALID_API_KEY"},
                        {"Bearer without a key", "Authorization", "Bearer", "AUTH_REQUIRED,INVALID_API_KEY"},
                        {"another scheme", "Authorization", "Token " + valid, "AUTH_REQUIRED,INVALID_API_KEY"},
                        {"a key of 16 KiB", "Authorization", "Bearer rk_" + "A".repeat(16 * 1024),
                                "INVALID_API_KEY"},
                };
        String[] v = variants[random.nextInt(variants.length)];
        d.credential = null;
        d.extraHeaders.add(new String[] {v[1], v[2]});
        if (!admin && random.nextInt(4) == 0) {
            // two different keys, each valid alone
            d.extraHeaders.remove(d.extraHeaders.size() - 1);
            d.extraHeaders.add(new String[] {"Authorization", "Bearer " + credentials.home.get(0).secret()});
            d.extraHeaders.add(new String[] {"X-API-Key", credentials.home.get(1).secret()});
            d.expectation = Expectation.refused(401, "INVALID_API_KEY");
            return "two different keys";
        }
        d.expectation = Expectation.refused(401, v[3].split(","));
        if (v[2].length() > 8 * 1024) {
            // the web server may refuse headers that large itself: a 400 naming them
            d.expectation = d.expectation.or(400, INVALID_PARAMETER);
        }
        return v[0];
    }

    /**
     * The expectation for a changed value: refused (400 with {@code code}, naming it) when the contract
     * refuses it; accepted when it allows it; either, when it leaves it open.
     */
    private Expectation judged(Verdict verdict, Draft d, Plan.Kind kind, String code, String name,
                               String changedParam) {
        Expectation refused = kind == Plan.Kind.PARAMETER
                ? Expectation.badParameter(code, name) : Expectation.badFields(code, name);
        return switch (verdict) {
            case INVALID -> withUnknownRows(refused, d, changedParam);
            case VALID -> d.validExpectation(changedParam);
            case EITHER -> {
                Expectation valid = d.validExpectation(changedParam);
                Expectation either = refused.orAccepted();
                for (Map.Entry<Integer, Set<String>> e : valid.errors().entrySet()) {
                    either = either.or(e.getKey(), e.getValue().toArray(String[]::new));
                }
                yield either;
            }
        };
    }

    /** A refusal may come as a 404 instead when the path names a row that does not exist. */
    private static Expectation withUnknownRows(Expectation expectation, Draft d, String changedParam) {
        return d.pathLive(changedParam) ? expectation : expectation.or(404, NOT_FOUND);
    }

    private Mutation weighted(List<Mutation> mutations) {
        double total = mutations.stream().mapToDouble(m -> m.weight).sum();
        double r = random.nextDouble() * total;
        for (Mutation m : mutations) {
            r -= m.weight;
            if (r < 0) {
                return m;
            }
        }
        return mutations.get(mutations.size() - 1);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private String randomBase62(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A request being drawn: valid values first, then changed by {@link #mutate}. */
    private final class Draft {
        final Operation op;
        /** Whose view of the world the request has: the organization of its key, "admin" or "public". */
        final String scope;
        String method;
        Credential credential;
        String presentation;
        final Map<String, Object> pathValues = new LinkedHashMap<>();
        final List<Object[]> query = new ArrayList<>();
        final Map<String, Object> body;
        final List<String[]> extraHeaders = new ArrayList<>();
        byte[] rawBody;
        boolean chunked;
        String contentType;
        String pathOverride;
        Expectation expectation;

        Draft(Operation op, boolean everyPathValueLive) {
            this.op = op;
            this.method = op.method();
            this.credential = credentialFor(op);
            this.scope = credential == null ? "public" : credential.scope();
            this.presentation = pick(List.of("bearer", "bearer", "bearer", "x-api-key", "both", "lower-case"));
            for (Param p : op.pathParams()) {
                pathValues.put(p.name(), chooseRow(p, everyPathValueLive));
            }
            for (Param p : op.queryParams()) {
                if (STATE_BOUND.containsKey(p.name())) {
                    query.add(new Object[] {p.name(), STATE_BOUND.get(p.name())});
                    continue;
                }
                if (!p.required() && random.nextInt(3) != 0) {
                    continue;
                }
                if (p.repeatable()) {
                    int n = 1 + random.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        query.add(new Object[] {p.name(), values.validText(p.schema().getItems())});
                    }
                } else {
                    query.add(new Object[] {p.name(), validScalar(p)});
                }
            }
            for (Param p : op.headerParams()) {
                // optional headers (If-None-Match, Last-Event-ID) are not sent: their values depend on earlier answers
                if (p.required()) {
                    extraHeaders.add(new String[] {p.name(), validScalar(p)});
                }
            }
            this.body = op.hasBody() ? values.validObject(op.body()) : null;
            if (op.hasBody()) {
                String type = pick(op.bodyMediaTypes());
                contentType = random.nextInt(6) == 0 ? type + "; charset=utf-8" : type;
            }
            this.expectation = validExpectation(null);
        }

        private Credential credentialFor(Operation op) {
            if (op.security().isEmpty()) {
                return null;
            }
            op.security().forEach(Credentials::requireKnown);
            if (op.security().contains(Credentials.ADMIN_SCHEME)) {
                return credentials.admin;
            }
            List<Credential> granting = credentials.home.stream().filter(c -> c.grants(op.requiredScopes())).toList();
            if (granting.isEmpty()) {
                throw new IllegalStateException("no key of the fuzzer grants " + op.requiredScopes() + " for " + op);
            }
            return pick(granting);
        }

        /** The row a path parameter names: mostly one that exists, sometimes a deleted, foreign or random one. */
        private String chooseRow(Param p, boolean live) {
            String collection = collection(p);
            boolean deleting = method.equals("DELETE") && isLast(p);
            int r = live ? 0 : random.nextInt(20);
            Optional<String> value = r < 13 ? world.anyLive(collection, random)
                    : r < 15 ? world.anySibling(collection, shape(p), random)
                    : r < 17 ? world.anyGone(collection, random)
                    : Optional.empty();
            value = value.filter(v -> !(deleting && world.isKept(collection, v)));
            for (int attempt = 0; value.isEmpty() && attempt < 10; attempt++) {
                value = Optional.of(values.validText(p.schema()))
                        .filter(v -> !(deleting && world.isKept(collection, v)));
            }
            return value.orElseThrow();
        }

        boolean isLast(Param p) {
            return op.pathParams().get(op.pathParams().size() - 1).equals(p);
        }

        /** PUT to the last parameter creates the row when it does not exist. */
        boolean upsert(Param p) {
            return method.equals("PUT") && isLast(p);
        }

        /** The collection of {@code p}: the concrete path before it, as the request's organization sees it. */
        String collection(Param p) {
            return World.collection(scope, prefix(p, true));
        }

        /** Every collection of the same shape, whoever sees it. */
        String shape(Param p) {
            return "[^:]+:" + Pattern.quote(prefix(p, false)).replace("{}", "\\E[^/]+\\Q");
        }

        private String prefix(Param p, boolean concrete) {
            StringBuilder out = new StringBuilder();
            for (String segment : op.path().substring(1).split("/")) {
                if (segment.equals("{" + p.name() + "}")) {
                    return out.toString();
                }
                String name = segment.startsWith("{") ? segment.substring(1, segment.length() - 1) : null;
                out.append('/').append(name == null ? segment : concrete ? String.valueOf(pathValues.get(name)) : "{}");
            }
            throw new IllegalStateException(p.name() + " is not in " + op.path());
        }

        /** Every path value names a live row (but {@code except}, and the row a PUT creates). */
        boolean pathLive(String except) {
            for (Param p : op.pathParams()) {
                if (p.name().equals(except) || upsert(p)) {
                    continue;
                }
                Object value = pathValues.get(p.name());
                if (!(value instanceof String text) || !world.isLive(collection(p), text)) {
                    return false;
                }
            }
            return true;
        }

        /** What the contract allows for a valid request: success, a conflict or "gone" it lists, 404 for no row. */
        Expectation validExpectation(String except) {
            Expectation valid = Expectation.valid();
            for (int status : STATE_STATUSES) {
                if (op.declares(status)) {
                    valid = valid.or(status);
                }
            }
            return pathLive(except) ? valid : valid.or(404, NOT_FOUND);
        }

        String concretePath() {
            StringBuilder out = new StringBuilder();
            for (String segment : op.path().substring(1).split("/")) {
                out.append('/');
                if (segment.startsWith("{")) {
                    Object value = pathValues.get(segment.substring(1, segment.length() - 1));
                    out.append(value instanceof Encoded e ? e.text() : SchemaValues.encode(String.valueOf(value)));
                } else {
                    out.append(segment);
                }
            }
            return out.toString();
        }

        Plan toPlan(int index, String mutation) {
            Plan plan = new Plan(index, op, mutation);
            plan.method = method;
            plan.path = pathOverride != null ? pathOverride : concretePath();
            pathValues.forEach((k, v) -> plan.pathValues.put(k, v instanceof Encoded e ? e.text() : String.valueOf(v)));
            for (Object[] q : query) {
                String name = String.valueOf(q[0]);
                Object value = q[1];
                String text = value == null ? null
                        : value instanceof Encoded e ? e.text() : SchemaValues.encode(String.valueOf(value));
                plan.query.add(new String[] {SchemaValues.encode(name), text});
            }
            plan.scope = scope;
            if (credential != null) {
                plan.credential = credential.label() + (presentation.equals("bearer") ? "" : " (" + presentation + ")");
                boolean apiKey = !credential.scope().equals("admin");
                String scheme = presentation.equals("lower-case") ? "bearer " : "Bearer ";
                if (apiKey && presentation.equals("x-api-key")) {
                    plan.headers.add(new String[] {"X-API-Key", credential.secret()});
                } else {
                    plan.headers.add(new String[] {"Authorization", scheme + credential.secret()});
                    if (apiKey && presentation.equals("both")) {
                        plan.headers.add(new String[] {"X-API-Key", credential.secret()});
                    }
                }
            } else if (!extraHeaders.isEmpty()) {
                plan.credential = "(see the mutation)";
            }
            plan.headers.addAll(extraHeaders);
            if (rawBody != null) {
                plan.body = rawBody;
            } else if (body != null && !method.equals("GET") && !method.equals("DELETE")) {
                plan.body = Json.write(body).getBytes(StandardCharsets.UTF_8);
            }
            plan.contentType = plan.body == null ? null : contentType;
            plan.chunked = chunked;
            plan.expectation = expectation;
            return plan;
        }
    }
}
