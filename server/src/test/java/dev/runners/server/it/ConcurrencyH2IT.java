package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class ConcurrencyH2IT extends ConcurrencyContract {
}
