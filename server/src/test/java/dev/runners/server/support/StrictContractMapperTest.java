package dev.runners.server.support;

import java.io.IOException;

import dev.runners.client.ApiClient;
import dev.runners.client.model.Problem;
import dev.runners.client.model.RunnerEnvelope;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strict mapper rejects what the contract forbids and the generated client would accept. */
class StrictContractMapperTest {
    private static final String RUNNER = "{\"id\":1,\"name\":\"r\",\"status\":\"offline\",\"version\":\"1\",\"os\":\"linux\","
            + "\"arch\":\"amd64\",\"labels\":[\"a\",\"b\"],\"pod_count\":0,\"max_pods\":10,\"schedulable\":true,\"last_heartbeat_at\":null,"
            + "\"created_at\":\"2025-01-01T00:00:00Z\"}";

    private final StrictContractMapper mapper = new StrictContractMapper(new ApiClient().getObjectMapper());

    @Test
    void readsWhatTheContractAllows() throws IOException {
        RunnerEnvelope envelope = mapper.read("{\"runner\":" + RUNNER + "}", RunnerEnvelope.class);
        assertNull(envelope.getRunner().getLastHeartbeatAt());
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(envelope.getRunner().getLabels()));
        Problem problem = mapper.read("{\"type\":\"t\",\"title\":\"T\",\"status\":404,\"detail\":\"d\",\"code\":\"NOT_FOUND\"}",
                Problem.class);
        assertNull(problem.getErrors());
    }

    @Test
    void rejectsAMissingRequiredProperty() {
        String withoutNullable = RUNNER.replace("\"last_heartbeat_at\":null,", "");
        IOException e = assertThrows(IOException.class,
                () -> mapper.read("{\"runner\":" + withoutNullable + "}", RunnerEnvelope.class));
        assertTrue(e.getMessage().contains("$.runner.last_heartbeat_at"), e::getMessage);
        assertThrows(IOException.class, () -> mapper.read("{\"type\":\"t\",\"title\":\"T\",\"status\":404,\"detail\":\"d\"}",
                Problem.class));
    }

    @Test
    void rejectsNullInANonNullableProperty() {
        IOException e = assertThrows(IOException.class,
                () -> mapper.read("{\"runner\":" + RUNNER.replace("\"os\":\"linux\"", "\"os\":null") + "}", RunnerEnvelope.class));
        assertTrue(e.getMessage().contains("$.runner.os"), e::getMessage);
    }

    @Test
    void rejectsAnUnknownPropertyAnUnknownEnumValueAndARepeatedUniqueItem() {
        assertThrows(IOException.class, () -> mapper.read("{\"runner\":" + RUNNER.replace("{\"id\"", "{\"extra\":1,\"id\"") + "}",
                RunnerEnvelope.class));
        assertThrows(IOException.class, () -> mapper.read("{\"runner\":" + RUNNER.replace("\"offline\"", "\"sleeping\"") + "}",
                RunnerEnvelope.class));
        assertThrows(IOException.class, () -> mapper.read("{\"runner\":" + RUNNER.replace("[\"a\",\"b\"]", "[\"a\",\"a\"]") + "}",
                RunnerEnvelope.class));
    }

    @Test
    void staysStrictThroughTheCopiesTheGeneratedApisTake() {
        ApiClient client = new ApiClient();
        client.setObjectMapper(mapper);
        assertTrue(client.getObjectMapper() instanceof StrictContractMapper);
    }
}
