package dev.runners.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelSetTest {

    @Test
    void sortsAndMergesDuplicates() {
        List<Violation> violations = new ArrayList<>();
        LabelSet labels = LabelSet.of(List.of("gpu", "high-memory", "gpu", "a.b_c-d"), "labels", violations);
        assertTrue(violations.isEmpty());
        assertEquals(List.of("a.b_c-d", "gpu", "high-memory"), labels.values());
        assertEquals(labels, LabelSet.fromStored(labels.joined()));
    }

    @Test
    void checksSyntax() {
        assertNull(LabelSet.problemWith("a"));
        assertNull(LabelSet.problemWith("a".repeat(63)));
        for (String bad : List.of("", "A", "-a", "a-", "a b", "a,b", "é", "a".repeat(64))) {
            assertTrue(LabelSet.problemWith(bad) != null, bad);
        }
    }

    @Test
    void reportsEveryBadLabelUnderTheGivenName() {
        List<Violation> violations = new ArrayList<>();
        LabelSet.of(List.of("ok", "BAD", "-bad"), "labels", violations);
        assertEquals(2, violations.size());
        assertTrue(violations.stream().allMatch(v -> v.name().equals("labels")));
    }

    @Test
    void atMost32DistinctLabels() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            many.add("l" + i);
        }
        List<Violation> violations = new ArrayList<>();
        LabelSet.of(many, "labels", violations);
        assertEquals(1, violations.size());

        List<Violation> none = new ArrayList<>();
        List<String> duplicated = new ArrayList<>(many.subList(0, 32));
        duplicated.addAll(Collections.nCopies(10, "l0"));
        assertEquals(32, LabelSet.of(duplicated, "labels", none).size());
        assertTrue(none.isEmpty());
    }
}
