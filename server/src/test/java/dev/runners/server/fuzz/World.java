package dev.runners.server.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * What exists on the server, as learnt from its answers: for each collection (a concrete path such as
 * {@code /api/v1/runners} or {@code /api/v1/runners/7/pods}, seen by one organization or by the admin)
 * the values that address a live row, those that were deleted, and those the fuzzer must not delete
 * because it works with them (its own API keys).
 */
final class World {
    private final Map<String, Set<String>> live = new LinkedHashMap<>();
    private final Map<String, Set<String>> gone = new LinkedHashMap<>();
    private final Map<String, Set<String>> kept = new LinkedHashMap<>();

    static String collection(String scope, String path) {
        return scope + ":" + path;
    }

    void created(String collection, String value) {
        live.computeIfAbsent(collection, c -> new LinkedHashSet<>()).add(value);
        gone.computeIfAbsent(collection, c -> new LinkedHashSet<>()).remove(value);
    }

    /** The value and everything beneath it are gone. */
    void deleted(String collection, String value) {
        if (live.computeIfAbsent(collection, c -> new LinkedHashSet<>()).remove(value)) {
            gone.computeIfAbsent(collection, c -> new LinkedHashSet<>()).add(value);
        }
        String beneath = collection + "/" + value + "/";
        live.keySet().stream().filter(c -> c.startsWith(beneath)).toList().forEach(live::remove);
    }

    void keep(String collection, String value) {
        kept.computeIfAbsent(collection, c -> new LinkedHashSet<>()).add(value);
    }

    boolean isLive(String collection, String value) {
        return live.getOrDefault(collection, Set.of()).contains(value);
    }

    boolean isKept(String collection, String value) {
        return kept.getOrDefault(collection, Set.of()).contains(value);
    }

    Set<String> live(String collection) {
        return live.getOrDefault(collection, Set.of());
    }

    Optional<String> anyLive(String collection, Random random) {
        return pick(live.getOrDefault(collection, Set.of()), random);
    }

    Optional<String> anyGone(String collection, Random random) {
        return pick(gone.getOrDefault(collection, Set.of()), random);
    }

    /** A live value of another collection of the same shape (another runner's pod, another organization's key). */
    Optional<String> anySibling(String collection, String shape, Random random) {
        List<String> values = new ArrayList<>();
        live.forEach((c, v) -> {
            if (!c.equals(collection) && c.matches(shape)) {
                values.addAll(v);
            }
        });
        return pick(values, random);
    }

    private static Optional<String> pick(java.util.Collection<String> values, Random random) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        int index = random.nextInt(values.size());
        return values.stream().skip(index).findFirst();
    }
}
