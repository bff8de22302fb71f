package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class ReadApiH2IT extends ReadApiContract {
}
