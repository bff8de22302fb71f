package dev.runners.server.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The credentials the fuzzer holds, by the security scheme of the contract they answer: organization API
 * keys ({@code apiKey}) of its home organization, broken ones (revoked, expired), and the admin token
 * ({@code adminToken}).
 */
final class Credentials {
    static final String ORGANIZATION_SCHEME = "apiKey";
    static final String ADMIN_SCHEME = "adminToken";
    static final String READ = "runners:read";
    static final String WRITE = "runners:write";

    /** One credential; {@code scope} is the organization slug, or "admin". */
    record Credential(String label, String scope, Set<String> scopes, String secret) {
        /** The contract: "runners:write also grants runners:read". */
        boolean grants(List<String> required) {
            return required.stream().allMatch(s -> scopes.contains(s) || (s.equals(READ) && scopes.contains(WRITE)));
        }
    }

    final Credential admin;
    final List<Credential> home = new ArrayList<>();
    Credential revoked;
    Credential expired;

    Credentials(String adminToken) {
        this.admin = new Credential("admin token", "admin", Set.of(), adminToken);
    }

    /** Every secret, so that no answer may ever show one. */
    List<String> secrets() {
        List<String> all = new ArrayList<>();
        all.add(admin.secret());
        home.forEach(c -> all.add(c.secret()));
        all.add(revoked.secret());
        all.add(expired.secret());
        return all;
    }

    static void requireKnown(String scheme) {
        if (!scheme.equals(ORGANIZATION_SCHEME) && !scheme.equals(ADMIN_SCHEME)) {
            throw new IllegalStateException("the fuzzer holds no credential for the security scheme " + scheme);
        }
    }
}
