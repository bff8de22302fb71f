package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class SecurityHeadersH2IT extends SecurityHeadersContract {
}
