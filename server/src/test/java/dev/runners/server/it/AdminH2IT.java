package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class AdminH2IT extends AdminContract {
}
