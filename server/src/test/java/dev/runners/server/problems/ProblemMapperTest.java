package dev.runners.server.problems;

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
import dev.runners.server.ratelimit.RateLimited;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Each kind of failure as the client sees it (status, code, detail, errors, headers), without a server. */
class ProblemMapperTest {
    private final ProblemMapper mapper = new ProblemMapper();

    @ParameterizedTest
    @EnumSource(ConflictException.Reason.class)
    void everyConflictIsA409WithTheCodeOfItsReason(ConflictException.Reason reason) {
        Response response = mapper.toResponse(new ConflictException(reason, "what conflicts"));
        Problem problem = problem(response, 409);
        assertEquals(reason.name(), problem.code());
        assertEquals("what conflicts", problem.detail());
    }

    @ParameterizedTest
    @EnumSource(InvalidInputException.Reason.class)
    void everyInputReasonIsA400WithTheCodeOfItsReason(InvalidInputException.Reason reason) {
        Response response = mapper.toResponse(new InvalidInputException(reason, List.of(new Violation("limit", "too big"))));
        assertEquals(reason.name(), problem(response, 400).code());
    }

    @Test
    void aBadParameterIsNamedAsAParameterAndABadFieldAsAField() {
        Problem parameter = problem(mapper.toResponse(InvalidInputException.parameter("limit", "must be 1-1000")), 400);
        assertEquals(List.of(ProblemError.parameter("limit", "must be 1-1000")), parameter.errors());
        assertEquals(ErrorCode.INVALID_PARAMETER.detail(), parameter.detail());

        Problem field = problem(mapper.toResponse(new InvalidInputException(InvalidInputException.Reason.INVALID_FIELD,
                List.of(new Violation("name", "must be 1-100 characters"), new Violation("os", "must match [a-z0-9_-]")))), 400);
        assertEquals(List.of(ProblemError.field("name", "must be 1-100 characters"), ProblemError.field("os", "must match [a-z0-9_-]")),
                field.errors());
    }

    @Test
    void malformedJsonCarriesTheReadersAccountAsItsDetailAndNoErrors() {
        Problem problem = problem(mapper.toResponse(new InvalidInputException(InvalidInputException.Reason.MALFORMED_JSON,
                List.of(new Violation("body", "the request body is empty; send a JSON object")))), 400);
        assertEquals("MALFORMED_JSON", problem.code());
        assertEquals("the request body is empty; send a JSON object", problem.detail());
        assertNull(problem.errors());
    }

    @Test
    void aMissingCredentialAsksForABearerToken() {
        Response response = mapper.toResponse(new ApiException(ErrorCode.AUTH_REQUIRED));
        assertEquals("AUTH_REQUIRED", problem(response, 401).code());
        assertEquals("Bearer realm=\"runners\"", response.getHeaderString("WWW-Authenticate"));
    }

    @Test
    void aRateLimitedRequestIsToldWhenToRetry() {
        Response response = mapper.toResponse(new RateLimited("too many writes", 3, "writes"));
        Problem problem = problem(response, 429);
        assertEquals("RATE_LIMITED", problem.code());
        assertEquals("too many writes", problem.detail());
        assertEquals("3", response.getHeaderString("Retry-After"));
    }

    @Test
    void anUnreachableDatabaseIsA503WithRetryAfterAndNoDatabaseDetail() {
        Response response = mapper.toResponse(new StoreUnavailableException("connection refused to db.internal:5432", null));
        Problem problem = problem(response, 503);
        assertEquals("SERVICE_UNAVAILABLE", problem.code());
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE.detail(), problem.detail());
        assertEquals(ProblemMapper.RETRY_AFTER_SECONDS, response.getHeaderString("Retry-After"));
    }

    @Test
    void anUnknownResourceIsA404() {
        assertEquals("NOT_FOUND", problem(mapper.toResponse(new UnknownResourceException("no runner 7")), 404).code());
    }

    @Test
    void theFrameworksOwnRefusalsBecomeProblemsAndA405KeepsItsAllow() {
        assertEquals("NOT_FOUND", problem(mapper.toResponse(new NotFoundException()), 404).code());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", problem(mapper.toResponse(new NotSupportedException()), 415).code());
        Response notAllowed = mapper.toResponse(new NotAllowedException(Response.status(405).header("Allow", "GET, POST").build()));
        assertEquals("METHOD_NOT_ALLOWED", problem(notAllowed, 405).code());
        assertEquals("GET, POST", notAllowed.getHeaderString("Allow"));
    }

    @Test
    void anythingElseIsA500ThatTellsNothingOfTheFailure() {
        Problem problem = problem(mapper.toResponse(new IllegalStateException("secret=rk_abc in a stack")), 500);
        assertEquals("INTERNAL_ERROR", problem.code());
        assertEquals(ErrorCode.INTERNAL_ERROR.detail(), problem.detail());
    }

    private static Problem problem(Response response, int status) {
        assertEquals(status, response.getStatus());
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        Problem problem = (Problem) response.getEntity();
        assertEquals(status, problem.status());
        return problem;
    }
}
