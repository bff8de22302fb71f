package dev.runners.server.it;

import dev.runners.server.support.Http;
import dev.runners.server.support.OnPostgres;
import io.helidon.microprofile.testing.junit5.AddConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RUNNERS_DEMO alone never seeds a PostgreSQL database: that needs RUNNERS_DEMO_ALLOW_POSTGRES too. */
@OnPostgres
@AddConfig(key = "runners.demo", value = "true")
class DemoPostgresIT {
    @Inject
    WebTarget target;

    @Test
    void theDemoStaysOffOnPostgresUnlessAllowed() {
        Http.Reply reply = new Http(target.getUri()).get("/api/v1/runners",
                "Authorization", "Bearer rk_demoReadOnlyKeyForTheRunnersApiDemo");
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("INVALID_API_KEY", reply.code());
    }
}
