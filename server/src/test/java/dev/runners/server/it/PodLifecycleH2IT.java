package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class PodLifecycleH2IT extends PodLifecycleContract {
}
