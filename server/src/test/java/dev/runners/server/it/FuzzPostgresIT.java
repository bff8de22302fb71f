package dev.runners.server.it;

import dev.runners.server.support.OnPostgres;

@OnPostgres
class FuzzPostgresIT extends FuzzContract {
}
