package dev.runners.api;

import java.util.List;
import java.util.Locale;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** RFC 9457 problem details with a stable machine {@code code}; {@code errors} only for input errors. */
@JsonbPropertyOrder({"type", "title", "status", "detail", "code", "errors"})
public record Problem(String type, String title, int status, String detail, String code, List<ProblemError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://runners.dev/problems/";

    /** A problem with the code's default detail. */
    public static Problem of(ErrorCode code, List<ProblemError> errors) {
        return of(code, code.detail(), errors);
    }

    public static Problem of(ErrorCode code, String detail, List<ProblemError> errors) {
        return new Problem(TYPE_BASE + code.name().toLowerCase(Locale.ROOT).replace('_', '-'), code.title(),
                code.status(), detail, code.name(), errors == null || errors.isEmpty() ? null : List.copyOf(errors));
    }

    /** One offending input: exactly one of {@code parameter} and {@code field} is set. */
    @JsonbPropertyOrder({"parameter", "field", "message"})
    public record ProblemError(String parameter, String field, String message) {
        public static ProblemError parameter(String name, String message) {
            return new ProblemError(name, null, message);
        }

        public static ProblemError field(String name, String message) {
            return new ProblemError(null, name, message);
        }
    }
}
