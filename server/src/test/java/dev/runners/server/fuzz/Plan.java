package dev.runners.server.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One generated request and what the contract lets the server answer to it. Built from a valid
 * request of an operation, then changed by at most one mutation.
 */
final class Plan {
    /** Where an error must be named: a query/path {@code parameter} or a body {@code field}. */
    enum Kind { PARAMETER, FIELD }

    /**
     * What may come back: a 2xx when {@code accept}, else only the error statuses listed, each with the
     * problem codes allowed for it (an empty set allows every code the document lists for the status).
     * A 400 about parameters (or fields) must name every one of {@code named} in {@code errors}.
     */
    record Expectation(boolean accept, Map<Integer, Set<String>> errors, Kind kind, List<String> named) {
        static Expectation valid() {
            return new Expectation(true, Map.of(), null, List.of());
        }

        static Expectation refused(int status, String... codes) {
            return new Expectation(false, Map.of(status, Set.of(codes)), null, List.of());
        }

        static Expectation badParameter(String code, String name) {
            return new Expectation(false, Map.of(400, Set.of(code)), Kind.PARAMETER, List.of(name));
        }

        static Expectation badFields(String code, String... names) {
            return new Expectation(false, Map.of(400, Set.of(code)), Kind.FIELD, List.of(names));
        }

        /** The same refusals, or a 2xx: the contract leaves the request open. */
        Expectation orAccepted() {
            return new Expectation(true, errors, kind, named);
        }

        /** Also this status with these codes (any code the document lists, when none are given). */
        Expectation or(int status, String... codes) {
            Map<Integer, Set<String>> all = new TreeMap<>(errors);
            Set<String> merged = new TreeSet<>(all.getOrDefault(status, Set.of()));
            merged.addAll(List.of(codes));
            all.put(status, merged);
            return new Expectation(accept, all, kind, named);
        }

        boolean allows(int status) {
            return status / 100 == 2 ? accept : errors.containsKey(status);
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (accept) {
                parts.add("2xx");
            }
            new TreeMap<>(errors).forEach((status, codes) -> parts.add(status + (codes.isEmpty() ? "" : " " + codes)));
            return String.join(" or ", parts)
                    + (named.isEmpty() ? "" : ", naming " + kind.name().toLowerCase(Locale.ROOT) + " " + named);
        }
    }

    final int index;
    final ContractModel.Operation operation;
    final String mutation;
    String method;
    String path;
    final Map<String, String> pathValues = new LinkedHashMap<>();
    /** Name and value pairs, already percent-encoded. */
    final List<String[]> query = new ArrayList<>();
    /** Name and value pairs; the credential's secret appears only here, {@link #credential} names it. */
    final List<String[]> headers = new ArrayList<>();
    String credential = "none";
    /** The organization (or "admin") whose view of the world the request has; null without credentials. */
    String scope;
    byte[] body;
    /** Sent without a Content-Length, in chunks. */
    boolean chunked;
    String contentType;
    Expectation expectation;

    Plan(int index, ContractModel.Operation operation, String mutation) {
        this.index = index;
        this.operation = operation;
        this.mutation = mutation;
    }

    String uri() {
        if (query.isEmpty()) {
            return path;
        }
        return path + "?" + query.stream().map(q -> q[1] == null ? q[0] : q[0] + "=" + q[1])
                .collect(Collectors.joining("&"));
    }

    String operationName() {
        return operation == null ? "(no operation)" : operation.toString();
    }

    /** The request, readable, without secrets, the body cut short. */
    String describe() {
        StringBuilder text = new StringBuilder();
        text.append('#').append(index).append(' ').append(method).append(' ').append(abbreviate(uri(), 300))
                .append("  [").append(mutation).append("; credential ").append(credential);
        if (contentType != null) {
            text.append("; Content-Type ").append(contentType);
        }
        text.append(']');
        if (body != null) {
            text.append("\n      body: ").append(abbreviate(new String(body, StandardCharsets.UTF_8), 300));
        }
        return text.toString();
    }

    static String abbreviate(String text, int max) {
        return text.length() > max ? text.substring(0, text.offsetByCodePoints(0, text.codePointCount(0, max)))
                + "...(" + text.length() + " chars)" : text;
    }
}
