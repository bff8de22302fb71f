package dev.runners.api;

import dev.runners.domain.ConflictException;

/** Every error code of the contract, with its HTTP status, title and default detail. */
public enum ErrorCode {
    INVALID_PARAMETER(400, "Invalid parameter",
            "a query or path parameter is not valid"),
    UNKNOWN_PARAMETER(400, "Unknown parameter",
            "the request has a query parameter this operation does not know"),
    MALFORMED_JSON(400, "Malformed JSON",
            "the request body is not well-formed JSON"),
    UNKNOWN_FIELD(400, "Unknown field",
            "the request body has fields this operation does not know"),
    INVALID_FIELD(400, "Invalid field",
            "the request body has invalid fields"),
    AUTH_REQUIRED(401, "Authentication required",
            "this operation needs credentials"),
    INVALID_API_KEY(401, "Invalid API key",
            "the API key is not valid"),
    API_KEY_EXPIRED(401, "API key expired",
            "the API key has expired"),
    INVALID_ADMIN_TOKEN(401, "Invalid admin token",
            "the admin token is not valid"),
    INSUFFICIENT_SCOPE(403, "Insufficient scope",
            "the API key lacks the scope this operation needs"),
    NOT_FOUND(404, "Not found",
            "no such resource"),
    METHOD_NOT_ALLOWED(405, "Method not allowed",
            "this resource does not support the method"),
    RUNNER_NAME_TAKEN(409, "Runner name taken",
            "the runner name is in use in this organization"),
    POD_KEY_TAKEN(409, "Pod key taken",
            "the pod key is held by another runner of this organization"),
    INVALID_TRANSITION(409, "Invalid transition",
            "the pod cannot move to that status"),
    IMMUTABLE_FIELD(409, "Immutable field",
            "the field is fixed when the pod is created"),
    ORGANIZATION_EXISTS(409, "Organization exists",
            "an organization with that slug exists"),
    EVENTS_EXPIRED(410, "Events expired",
            "the events after that version are no longer retained; start again from the current version"),
    PAYLOAD_TOO_LARGE(413, "Payload too large",
            "the request body is larger than 1 MiB"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type",
            "the request body must be application/json"),
    RATE_LIMITED(429, "Rate limited",
            "too many requests; retry later"),
    INTERNAL_ERROR(500, "Internal error",
            "the service failed to handle the request"),
    SERVICE_UNAVAILABLE(503, "Service unavailable",
            "the service cannot reach its database; retry later");

    private final int status;
    private final String title;
    private final String detail;

    ErrorCode(int status, String title, String detail) {
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    /** No default: a new or renamed reason does not compile until it has its code. */
    public static ErrorCode of(ConflictException.Reason reason) {
        return switch (reason) {
            case RUNNER_NAME_TAKEN -> RUNNER_NAME_TAKEN;
            case POD_KEY_TAKEN -> POD_KEY_TAKEN;
            case INVALID_TRANSITION -> INVALID_TRANSITION;
            case IMMUTABLE_FIELD -> IMMUTABLE_FIELD;
            case ORGANIZATION_EXISTS -> ORGANIZATION_EXISTS;
        };
    }

    /** No default: a new or renamed reason does not compile until it has its code. */
    public static ErrorCode of(InvalidInputException.Reason reason) {
        return switch (reason) {
            case INVALID_PARAMETER -> INVALID_PARAMETER;
            case UNKNOWN_PARAMETER -> UNKNOWN_PARAMETER;
            case INVALID_FIELD -> INVALID_FIELD;
            case UNKNOWN_FIELD -> UNKNOWN_FIELD;
            case MALFORMED_JSON -> MALFORMED_JSON;
        };
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The detail of a problem of this kind when nothing more specific is known. */
    public String detail() {
        return detail;
    }
}
