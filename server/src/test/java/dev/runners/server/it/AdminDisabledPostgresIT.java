package dev.runners.server.it;

import dev.runners.server.support.OnPostgresWithoutAdminToken;

@OnPostgresWithoutAdminToken
class AdminDisabledPostgresIT extends AdminDisabledContract {
}
