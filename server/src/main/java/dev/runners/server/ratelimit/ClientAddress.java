package dev.runners.server.ratelimit;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * The address a request comes from, for the auth-failure lockout: the socket's peer (without its
 * port), or, with {@code runners.trust-forwarded-for=true}, the first entry of X-Forwarded-For.
 * Trust it only behind a proxy that sets that header itself (replacing what the client sent),
 * else a client picks its own address.
 */
final class ClientAddress {
    static final String TRUST_KEY = "runners.trust-forwarded-for";
    /** Longer than any IP address literal; a longer claim is cut, so the lockout's memory stays bounded. */
    private static final int MAX_LENGTH = 64;

    private ClientAddress() {
    }

    /** The setting, strictly: a typo must not quietly decide whom the lockout counts. */
    static boolean trust(String setting) {
        return switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw RateLimits.badSetting(TRUST_KEY, "must be true or false, was '" + setting + "'");
        };
    }

    static String of(ServerRequest request, boolean trustForwardedFor) {
        if (trustForwardedFor) {
            String forwarded = request.headers().first(HeaderNames.X_FORWARDED_FOR).orElse("");
            int comma = forwarded.indexOf(',');
            String first = (comma < 0 ? forwarded : forwarded.substring(0, comma)).strip();
            if (!first.isEmpty()) {
                return first.length() > MAX_LENGTH ? first.substring(0, MAX_LENGTH) : first;
            }
        }
        SocketAddress peer = request.remotePeer().address();
        return peer instanceof InetSocketAddress socket && socket.getAddress() != null
                ? socket.getAddress().getHostAddress()
                : String.valueOf(peer);
    }
}
