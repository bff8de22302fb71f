package dev.runners.persistence;

import java.util.ArrayList;
import java.util.List;

/**
 * A named statement's text as JDBC takes it: each {@code :name} replaced by {@code ?}, and the
 * names in the order of the markers. Quoted text and {@code ::} casts are left alone.
 */
record JdbcText(String sql, List<String> parameters) {

    static JdbcText of(String named) {
        StringBuilder sql = new StringBuilder(named.length());
        List<String> parameters = new ArrayList<>();
        int i = 0;
        while (i < named.length()) {
            char c = named.charAt(i);
            if (c == '\'' || c == '"') {
                int end = named.indexOf(c, i + 1);
                end = end < 0 ? named.length() : end + 1;
                sql.append(named, i, end);
                i = end;
            } else if (c == ':' && i + 1 < named.length() && named.charAt(i + 1) == ':') {
                sql.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < named.length() && isNameStart(named.charAt(i + 1))) {
                int end = i + 1;
                while (end < named.length() && isNamePart(named.charAt(end))) {
                    end++;
                }
                parameters.add(named.substring(i + 1, end));
                sql.append('?');
                i = end;
            } else {
                sql.append(c);
                i++;
            }
        }
        return new JdbcText(sql.toString(), List.copyOf(parameters));
    }

    private static boolean isNameStart(char c) {
        return c == '_' || Character.isLetter(c);
    }

    private static boolean isNamePart(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }
}
