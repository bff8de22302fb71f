package dev.runners.server.it;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import dev.runners.server.support.ContractValidator;
import dev.runners.server.support.Http;
import dev.runners.server.support.OnEmbeddedDatabase;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /openapi serves the openapi module's file unchanged; the document does not depend on the database. */
@OnEmbeddedDatabase
class OpenApiDocumentH2IT {
    @Inject
    WebTarget target;

    private Http http;

    @BeforeEach
    void connect() {
        http = new Http(target.getUri());
    }

    @Test
    void servesTheFileByteForByte() {
        Http.Reply reply = http.get("/openapi");
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/yaml"), reply.contentType());
        assertEquals(ContractValidator.document(), reply.body());
        assertEquals(ContractValidator.document(), http.get("/openapi?format=YAML").body());
    }

    @Test
    void servesTheSameDocumentAsJson() {
        Http.Reply reply = http.get("/openapi?format=JSON");
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
        JsonObject document = reply.json();
        assertEquals("3.0.3", document.getString("openapi"));
        assertEquals(System.getProperty("runners.project.version"),
                document.getJsonObject("info").getString("version"), "info.version follows the project version");
        assertTrue(document.getJsonObject("paths").containsKey("/api/v1/runners/{id}/pods"));
    }

    @Test
    void refusesAnUnknownFormatOrParameter() {
        Http.Reply format = http.get("/openapi?format=XML");
        assertEquals(400, format.status(), format::toString);
        assertEquals("INVALID_PARAMETER", format.code());
        assertEquals(java.util.List.of("format"), format.errorNames());
        Http.Reply unknown = http.get("/openapi?pretty=true");
        assertEquals(400, unknown.status(), unknown::toString);
        assertEquals("UNKNOWN_PARAMETER", unknown.code());
    }
}
