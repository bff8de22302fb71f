package dev.runners.server.problems;

import java.util.ArrayList;
import java.util.List;

import dev.runners.api.ApiException;
import dev.runners.api.ErrorCode;
import dev.runners.api.Problem.ProblemError;
import dev.runners.api.Problem;
import dev.runners.domain.ConflictException;
import dev.runners.domain.InvalidInputException;
import dev.runners.domain.UnknownResourceException;
import dev.runners.domain.Violation;
import dev.runners.persistence.StoreUnavailableException;
import dev.runners.server.json.JsonBodyReader;
import dev.runners.server.metrics.RateLimitMetrics;
import dev.runners.server.ratelimit.RateLimited;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The one place where a failure becomes an RFC 9457 problem+json answer. */
@Provider
@Singleton
public class ProblemMapper implements ExceptionMapper<Throwable> {
    private static final System.Logger LOG = System.getLogger(ProblemMapper.class.getName());
    static final String RETRY_AFTER_SECONDS = "5";

    /** Counts the 429s; absent where the mapper is made without the container (its unit tests). */
    @Inject
    private RateLimitMetrics rateLimitMetrics;

    @Override
    public Response toResponse(Throwable failure) {
        return switch (failure) {
            case ApiException e -> problem(e.code(), e.getMessage(), e.errors());
            case RateLimited e -> rateLimited(e);
            case InvalidInputException e -> input(e);
            case ConflictException e -> problem(ErrorCode.of(e.reason()), e.getMessage(), List.of());
            case UnknownResourceException e -> problem(ErrorCode.NOT_FOUND, e.getMessage(), List.of());
            case StoreUnavailableException e -> unavailable(e);
            case WebApplicationException e -> fromJaxRs(e);
            default -> brokenFraming(failure)
                    ? problem(ErrorCode.MALFORMED_JSON, JsonBodyReader.UNREADABLE, List.of())
                    : internal(failure);
        };
    }

    /**
     * A failure while the web server reads the body off the connection is the client's broken
     * framing (a chunk size that is not hexadecimal, fewer bytes than Content-Length before the
     * client gives up); JAX-RS meets it again when it closes the body.
     */
    private static boolean brokenFraming(Throwable failure) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().equals("io.helidon.webserver.http1.Http1Connection")
                    && frame.getMethodName().equals("readEntityFromPipeline")) {
                return true;
            }
        }
        return false;
    }

    static Response problem(ErrorCode code, String detail, List<ProblemError> errors) {
        Response.ResponseBuilder response = Response.status(code.status())
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(code, detail, errors));
        if (code.status() == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"runners\"");
        }
        if (code.status() == 503) {
            response.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return response.build();
    }

    private static Response input(InvalidInputException e) {
        boolean parameters = e.reason().aboutParameters();
        List<ProblemError> errors = new ArrayList<>();
        for (Violation v : e.violations()) {
            errors.add(parameters ? ProblemError.parameter(v.name(), v.message()) : ProblemError.field(v.name(), v.message()));
        }
        ErrorCode code = ErrorCode.of(e.reason());
        if (code == ErrorCode.MALFORMED_JSON) {
            // the body reader's account of what is wrong (in its own words, never the parser's) is the detail
            return problem(code, e.violations().isEmpty() ? code.detail() : e.violations().get(0).message(), List.of());
        }
        return problem(code, code.detail(), errors);
    }

    private Response rateLimited(RateLimited e) {
        if (rateLimitMetrics != null) {
            rateLimitMetrics.rateLimited(e.bucket());
        }
        return Response.fromResponse(problem(ErrorCode.RATE_LIMITED, e.getMessage(), List.of()))
                .header("Retry-After", e.retryAfterSeconds()).build();
    }

    private static Response unavailable(StoreUnavailableException e) {
        LOG.log(System.Logger.Level.WARNING, "Database unavailable: " + e.getMessage());
        return problem(ErrorCode.SERVICE_UNAVAILABLE, ErrorCode.SERVICE_UNAVAILABLE.detail(), List.of());
    }

    private static Response fromJaxRs(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return switch (status) {
            case 404 -> problem(ErrorCode.NOT_FOUND, ErrorCode.NOT_FOUND.detail(), List.of());
            case 405 -> {
                Response answer = problem(ErrorCode.METHOD_NOT_ALLOWED, ErrorCode.METHOD_NOT_ALLOWED.detail(), List.of());
                String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
                yield allow == null ? answer : Response.fromResponse(answer).header(HttpHeaders.ALLOW, allow).build();
            }
            case 413 -> problem(ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.PAYLOAD_TOO_LARGE.detail(), List.of());
            case 415 -> problem(ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UNSUPPORTED_MEDIA_TYPE.detail(), List.of());
            default -> internal(e);
        };
    }

    private static Response internal(Throwable failure) {
        LOG.log(System.Logger.Level.ERROR, "Unexpected failure", failure);
        return problem(ErrorCode.INTERNAL_ERROR, ErrorCode.INTERNAL_ERROR.detail(), List.of());
    }
}
