package dev.runners.server.it;

import dev.runners.server.support.PostgresDatabase;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresDatabase.class)
class FeedUpgradePostgresIT extends FeedUpgradeContract {
}
