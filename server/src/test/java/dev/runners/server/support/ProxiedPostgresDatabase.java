package dev.runners.server.support;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;

/** A fresh PostgreSQL database that the service reaches through a {@link TcpProxy} the test controls. */
public final class ProxiedPostgresDatabase extends PostgresDatabase {
    private static volatile TcpProxy proxy;
    private static volatile ProxiedPostgresDatabase running;

    /** The proxy of the running test class. */
    public static TcpProxy proxy() {
        return proxy;
    }

    /** A connection to the running test class's database that does not pass the proxy. */
    public static Connection directConnection() throws SQLException {
        return running.connectDirectly();
    }

    @Override
    protected String serverUrl(String direct) throws Exception {
        URI uri = URI.create(direct.substring("jdbc:".length()));
        proxy = new TcpProxy(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
        running = this;
        return "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/";
    }

    @Override
    protected void drop() throws Exception {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        running = null;
        super.drop();
    }
}
