package dev.runners.server.it;

import dev.runners.server.support.EmbeddedDatabase;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedDatabase.class)
class FeedUpgradeH2IT extends FeedUpgradeContract {
}
