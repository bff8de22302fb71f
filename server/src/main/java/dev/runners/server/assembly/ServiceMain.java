package dev.runners.server.assembly;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import dev.runners.server.config.ServiceSettings;
import dev.runners.server.config.ServiceSettings.InvalidSettingException;
import dev.runners.server.edge.HelidonInternals.HookUnavailable;
import io.helidon.microprofile.cdi.Main;
import io.helidon.microprofile.server.ServerCdiExtension;
import jakarta.enterprise.inject.spi.CDI;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code java -jar runners-server.jar}: checks the settings before anything starts, so that a value
 * that cannot be used stops the start with one line naming it, starts Helidon MP, and exits non-zero
 * when the web server did not start (Helidon 4.1.2 logs that and carries on, exiting with status 0).
 */
public final class ServiceMain {
    /** A setting cannot be used (a value, or a port already in use): nothing was started. */
    static final int EXIT_INVALID_SETTING = 2;
    /** Helidon did not start. */
    static final int EXIT_NOT_STARTED = 1;
    private static final System.Logger LOG = System.getLogger(ServiceMain.class.getName());

    private ServiceMain() {
    }

    public static void main(String[] args) {
        ServiceSettings settings;
        try {
            settings = ServiceSettings.from(ConfigProvider.getConfig());
            requireFreePort(settings);
        } catch (InvalidSettingException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_INVALID_SETTING);
            return;
        }
        try {
            Main.main(args);
        } catch (RuntimeException e) {
            System.err.println("The service did not start: " + reason(e));
            System.exit(EXIT_NOT_STARTED);
        }
        int port = CDI.current().getBeanManager().getExtension(ServerCdiExtension.class).port();
        if (port < 0) {
            System.err.println("The service did not start: the web server could not listen on "
                    + settings.host() + ":" + settings.port());
            System.exit(EXIT_NOT_STARTED);
        }
        LOG.log(System.Logger.Level.INFO, "Listening on http://" + settings.host() + ":" + port);
        LOG.log(System.Logger.Level.INFO, settings.adminEnabled()
                ? "Admin API enabled"
                : "Admin API disabled: runners.admin-token (RUNNERS_ADMIN_TOKEN) is not set");
    }

    /**
     * What stopped the start, in one line: a hook the service cannot run without (CDI hands it on
     * wrapped), else the failure's own message.
     */
    private static String reason(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HookUnavailable unavailable) {
                return unavailable.getMessage();
            }
        }
        return failure.getMessage();
    }

    /** A port in use or a host that is not this machine's is named in one line, before Helidon logs a stack trace. */
    private static void requireFreePort(ServiceSettings settings) {
        if (settings.port() == 0) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        if (address.isUnresolved()) {
            throw new InvalidSettingException("server.host", "'" + settings.host() + "' is not a known host name");
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(address);
        } catch (BindException e) {
            boolean inUse = String.valueOf(e.getMessage()).contains("in use");
            throw new InvalidSettingException(inUse ? "server.port" : "server.host", "cannot listen on "
                    + settings.host() + ":" + settings.port() + " (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new InvalidSettingException("server.host", "cannot listen on "
                    + settings.host() + ":" + settings.port() + " (" + e.getMessage() + ")");
        }
    }
}
