package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class LiveStatusH2IT extends LiveStatusContract {
}
