package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class RequestBodyH2IT extends RequestBodyContract {
}
