package dev.runners.server.it;

import dev.runners.server.support.OnEmbeddedDatabaseWithoutAdminToken;

@OnEmbeddedDatabaseWithoutAdminToken
class AdminDisabledH2IT extends AdminDisabledContract {
}
