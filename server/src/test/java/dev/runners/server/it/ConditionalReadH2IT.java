package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class ConditionalReadH2IT extends ConditionalReadContract {
}
