package dev.runners.server.it;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

abstract class SmokeContract {
    @Inject
    WebTarget target;

    Fixtures fx;

    @BeforeEach
    void connect() {
        fx = new Fixtures(new Http(target.getUri()));
    }

    @Test
    void listsRunners() {
        String org = fx.organization();
        String key = fx.key(org, "runners:write");
        fx.runner(key, "r1", java.util.List.of("gpu"), 2);
        var reply = fx.http().get("/api/v1/runners", Fixtures.bearer(key));
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(1, reply.json().getInt("total"));
    }
}
