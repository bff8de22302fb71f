package dev.runners.server.support;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4: every line must be a HELP, a
 * TYPE, a comment or a well-formed sample; a family's samples are contiguous and follow its TYPE;
 * sample names fit their family's type; no series appears twice; counters are never negative;
 * histogram buckets are cumulative and their {@code +Inf} bucket equals {@code _count}. Anything
 * else throws, naming the line.
 */
public final class PrometheusText {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public record Family(String name, String type, String help, List<Sample> samples) {
    }

    private final Map<String, Family> families;

    private PrometheusText(Map<String, Family> families) {
        this.families = families;
    }

    public Map<String, Family> families() {
        return families;
    }

    public Family family(String name) {
        Family family = families.get(name);
        if (family == null) {
            throw new AssertionError("no metric family " + name + " in " + families.keySet());
        }
        return family;
    }

    /** The value of the sample {@code name} carrying at least the given label pairs, if there is one. */
    public Optional<Double> value(String name, String... labelPairs) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            wanted.put(labelPairs[i], labelPairs[i + 1]);
        }
        List<Sample> matches = families.values().stream()
                .flatMap(f -> f.samples().stream())
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(wanted.entrySet()))
                .toList();
        if (matches.size() > 1) {
            throw new AssertionError(matches.size() + " samples match " + name + wanted + ": " + matches);
        }
        return matches.stream().findFirst().map(Sample::value);
    }

    /** The value, or 0 when the series does not exist (a labelled counter appears on first use). */
    public double valueOrZero(String name, String... labelPairs) {
        return value(name, labelPairs).orElse(0.0);
    }

    public static PrometheusText parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> helps = new TreeMap<>();
        Set<String> closed = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length - 1; n++) {
            String line = lines[n];
            String where = "line " + (n + 1) + " '" + line + "': ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    require(METRIC_NAME.matcher(name).matches(), where + "bad metric name");
                    if (parts[1].equals("HELP")) {
                        require(helps.put(name, parts.length == 4 ? unescapeHelp(parts[3], where) : "") == null,
                                where + "second HELP for " + name);
                    } else {
                        require(parts.length == 4 && TYPES.contains(parts[3]), where + "unknown type");
                        require(!families.containsKey(name), where + "second TYPE for " + name);
                        require(!closed.contains(name), where + "TYPE after samples of " + name);
                        if (current != null) {
                            closed.add(current);
                        }
                        families.put(name, new Family(name, parts[3], null, new ArrayList<>()));
                        current = name;
                    }
                }
                continue;
            }
            Sample sample = sample(line, where);
            String family = familyOf(sample, families, where);
            if (!family.equals(current)) {
                require(!closed.contains(family), where + "samples of " + family + " are not contiguous");
                if (current != null) {
                    closed.add(current);
                }
                current = family;
                families.putIfAbsent(family, new Family(family, "untyped", null, new ArrayList<>()));
            }
            require(series.add(sample.name() + new TreeMap<>(sample.labels())), where + "the same series twice");
            families.get(family).samples().add(sample);
        }
        Map<String, Family> result = new LinkedHashMap<>();
        families.forEach((name, f) -> {
            check(f);
            result.put(name, new Family(name, f.type(), helps.get(name), List.copyOf(f.samples())));
        });
        return new PrometheusText(result);
    }

    private static String familyOf(Sample sample, Map<String, Family> families, String where) {
        String name = sample.name();
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                Family f = families.get(base);
                if (f != null && (f.type().equals("histogram") || f.type().equals("summary") && !suffix.equals("_bucket"))) {
                    if (suffix.equals("_bucket")) {
                        require(sample.labels().containsKey("le"), where + "a bucket without le");
                    }
                    return base;
                }
            }
        }
        Family f = families.get(name);
        if (f != null) {
            require(!f.type().equals("histogram"), where + "a histogram has only _bucket, _sum and _count samples");
            if (f.type().equals("summary")) {
                require(sample.labels().containsKey("quantile"), where + "a summary sample without quantile");
            }
        }
        return name;
    }

    private static void check(Family f) {
        for (Sample s : f.samples()) {
            if (f.type().equals("counter") || s.name().endsWith("_count") || s.name().endsWith("_bucket")) {
                require(!Double.isNaN(s.value()) && s.value() >= 0, f.name() + ": negative or NaN count " + s);
            }
        }
        if (!f.type().equals("histogram")) {
            return;
        }
        Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.samples()) {
            Map<String, String> labels = new TreeMap<>(s.labels());
            labels.remove("le");
            if (s.name().endsWith("_bucket")) {
                buckets.computeIfAbsent(labels, k -> new ArrayList<>()).add(s);
            } else if (s.name().endsWith("_count")) {
                counts.put(labels, s.value());
            }
        }
        require(buckets.keySet().equals(counts.keySet()), f.name() + ": buckets and counts of different series");
        buckets.forEach((labels, list) -> {
            double previousBound = Double.NEGATIVE_INFINITY;
            double previousCount = 0;
            for (Sample b : list) {
                double bound = number(b.labels().get("le"), f.name() + " le");
                require(bound > previousBound, f.name() + labels + ": buckets not in increasing order");
                require(b.value() >= previousCount, f.name() + labels + ": buckets not cumulative");
                previousBound = bound;
                previousCount = b.value();
            }
            require(previousBound == Double.POSITIVE_INFINITY, f.name() + labels + ": no +Inf bucket");
            require(previousCount == counts.get(labels), f.name() + labels + ": +Inf bucket differs from _count");
        });
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(METRIC_NAME.matcher(name).matches(), where + "bad metric name");
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                require(i < line.length(), where + "unterminated labels");
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int equals = line.indexOf('=', i);
                require(equals > i, where + "a label without =");
                String label = line.substring(i, equals);
                require(LABEL_NAME.matcher(label).matches(), where + "bad label name '" + label + "'");
                require(equals + 1 < line.length() && line.charAt(equals + 1) == '"', where + "unquoted label value");
                StringBuilder value = new StringBuilder();
                int j = equals + 2;
                for (; j < line.length() && line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        require(j + 1 < line.length(), where + "dangling escape");
                        char e = line.charAt(++j);
                        require(e == '\\' || e == '"' || e == 'n', where + "bad escape \\" + e);
                        value.append(e == 'n' ? '\n' : e);
                    } else {
                        value.append(c);
                    }
                }
                require(j < line.length(), where + "unterminated label value");
                require(labels.put(label, value.toString()) == null, where + "label " + label + " twice");
                i = j + 1;
                // the text format allows a comma after the last label
                if (i < line.length() && line.charAt(i) == ',') {
                    i++;
                } else {
                    require(i < line.length() && line.charAt(i) == '}', where + "labels not separated by commas");
                }
            }
        }
        require(i < line.length() && line.charAt(i) == ' ', where + "no space before the value");
        String[] rest = line.substring(i + 1).split(" ", -1);
        require(rest.length == 1 || rest.length == 2, where + "expected a value and an optional timestamp");
        double value = number(rest[0], where + "value");
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "bad timestamp");
            }
        }
        return new Sample(name, Map.copyOf(labels), value);
    }

    private static double number(String text, String what) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                require(text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?"), what + ": not a number '" + text + "'");
                return Double.parseDouble(text);
        }
    }

    private static String unescapeHelp(String text, String where) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                require(i + 1 < text.length(), where + "dangling escape in HELP");
                char e = text.charAt(++i);
                require(e == '\\' || e == 'n', where + "bad escape in HELP");
                out.append(e == 'n' ? '\n' : e);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
