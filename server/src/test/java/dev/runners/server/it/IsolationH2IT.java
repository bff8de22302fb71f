package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class IsolationH2IT extends IsolationContract {
}
