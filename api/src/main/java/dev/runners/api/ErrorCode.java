package dev.runners.api;

/** Every error code of the contract, with its HTTP status and title. */
public enum ErrorCode {
    INVALID_PARAMETER(400, "Invalid parameter"),
    UNKNOWN_PARAMETER(400, "Unknown parameter"),
    MALFORMED_JSON(400, "Malformed JSON"),
    UNKNOWN_FIELD(400, "Unknown field"),
    INVALID_FIELD(400, "Invalid field"),
    AUTH_REQUIRED(401, "Authentication required"),
    INVALID_API_KEY(401, "Invalid API key"),
    API_KEY_EXPIRED(401, "API key expired"),
    INVALID_ADMIN_TOKEN(401, "Invalid admin token"),
    INSUFFICIENT_SCOPE(403, "Insufficient scope"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    RUNNER_NAME_TAKEN(409, "Runner name taken"),
    POD_KEY_TAKEN(409, "Pod key taken"),
    INVALID_TRANSITION(409, "Invalid transition"),
    IMMUTABLE_FIELD(409, "Immutable field"),
    ORGANIZATION_EXISTS(409, "Organization exists"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    RATE_LIMITED(429, "Rate limited"),
    INTERNAL_ERROR(500, "Internal error"),
    SERVICE_UNAVAILABLE(503, "Service unavailable");

    private final int status;
    private final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
