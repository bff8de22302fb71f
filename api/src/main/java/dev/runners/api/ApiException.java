package dev.runners.api;

import java.util.List;

/** An error decided at the HTTP surface (authentication, media type, size), answered as problem+json. */
public final class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final List<Problem.ProblemError> errors;

    public ApiException(ErrorCode code) {
        this(code, code.detail());
    }

    public ApiException(ErrorCode code, String detail) {
        this(code, detail, List.of());
    }

    public ApiException(ErrorCode code, String detail, List<Problem.ProblemError> errors) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public ErrorCode code() {
        return code;
    }

    public List<Problem.ProblemError> errors() {
        return errors;
    }
}
