package dev.runners.persistence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * The named statements of {@code statements.yaml}, with each {@code {{fragment}}} replaced by the
 * text of its entry under {@code fragments:}. A rule that several statements state (the runner
 * status rule) is written once there; a fragment carries {@code :parameters} like any statement,
 * so values are still bound, never written into the text. An unknown fragment name stops the
 * service at start-up rather than sending broken SQL to the database.
 */
public final class NamedStatements {
    static final String RESOURCE = "dev/runners/persistence/statements.yaml";
    private static final Pattern FRAGMENT = Pattern.compile("\\{\\{([a-z][a-z0-9-]*)}}");

    private NamedStatements() {
    }

    /** Every statement by name, fragments expanded, as the service runs it. */
    public static Map<String, String> load() {
        Config root = Config.just(ConfigSources.classpath(RESOURCE));
        return expand(texts(root.get("fragments")), texts(root.get("statements")));
    }

    static Map<String, String> expand(Map<String, String> fragments, Map<String, String> statements) {
        Map<String, String> expanded = new LinkedHashMap<>();
        statements.forEach((name, text) -> expanded.put(name, expand(name, text, fragments)));
        return Map.copyOf(expanded);
    }

    private static String expand(String statement, String text, Map<String, String> fragments) {
        Matcher m = FRAGMENT.matcher(text);
        StringBuilder sql = new StringBuilder(text.length());
        while (m.find()) {
            String fragment = fragments.get(m.group(1));
            if (fragment == null) {
                throw new IllegalStateException("statement " + statement + " names an unknown fragment {{"
                        + m.group(1) + "}}; the fragments are " + fragments.keySet());
            }
            m.appendReplacement(sql, Matcher.quoteReplacement(fragment.strip()));
        }
        m.appendTail(sql);
        if (sql.indexOf("{{") >= 0) {
            throw new IllegalStateException("statement " + statement + " has a malformed fragment reference: " + text);
        }
        return sql.toString();
    }

    private static Map<String, String> texts(Config node) {
        if (!node.exists()) {
            return Map.of();
        }
        Map<String, String> texts = new LinkedHashMap<>();
        for (Config entry : node.asNodeList().get()) {
            texts.put(entry.name(), entry.asString().get());
        }
        return texts;
    }
}
