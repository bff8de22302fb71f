package dev.runners.persistence;

import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** A database of its own for one test class: its {@code db.connection.*} settings, and how to remove it. */
abstract class TestStore {
    /** The settings of the {@code db} configuration node, as the service reads them. */
    abstract Map<String, String> create(String testClass) throws Exception;

    abstract void drop() throws Exception;

    final Database open(String testClass) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(create(testClass));
        settings.put("source", "jdbc");
        settings.put("connection.maximumPoolSize", "4");
        settings.put("connection.connectionTimeout", "3000");
        return Database.open(Config.just(ConfigSources.create(settings)));
    }
}
