package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class GeneratedClientH2IT extends GeneratedClientContract {
}
