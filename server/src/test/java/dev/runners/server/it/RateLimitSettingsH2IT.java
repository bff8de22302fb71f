package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class RateLimitSettingsH2IT extends RateLimitSettingsContract {
}
