package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabase;

@OnEmbeddedDatabase
class AuthH2IT extends AuthContract {
}
