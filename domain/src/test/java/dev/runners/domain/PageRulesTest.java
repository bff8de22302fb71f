package dev.runners.domain;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PageRulesTest {

    @Test
    void runnerAndApiKeyListsDefaultTo100() {
        assertEquals(new PageRequest(100, 0), PageRules.RUNNERS.parse(List.of(), List.of()));
        assertEquals(new PageRequest(100, 0), PageRules.API_KEYS.parse(null, null));
    }

    @Test
    void podListsDefaultTo50() {
        assertEquals(new PageRequest(50, 0), PageRules.PODS.parse(null, null));
    }

    @Test
    void acceptsTheBounds() {
        assertEquals(new PageRequest(1000, 2147483647), PageRules.RUNNERS.parse(List.of("1000"), List.of("2147483647")));
        assertEquals(new PageRequest(1, 0), PageRules.PODS.parse(List.of("1"), List.of("0")));
        assertEquals(100, PageRules.PODS.parse(List.of("100"), List.of()).limit());
        assertEquals(new PageRequest(1000, 0), PageRules.API_KEYS.parse(List.of("1000"), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "abc", "", " 5", "5 ", "+5", "05", "1.0", "1e3", "99999999999999999999"})
    void refusesBadRunnerLimits(String value) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PageRules.RUNNERS.parse(List.of(value), List.of()));
        assertEquals(InvalidInputException.Reason.INVALID_PARAMETER, e.reason());
        assertEquals("limit", e.violations().get(0).name());
    }

    @Test
    void refusesAPodLimitAbove100() {
        var e = assertThrows(InvalidInputException.class, () -> PageRules.PODS.parse(List.of("101"), List.of()));
        assertEquals("limit", e.violations().get(0).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "2147483648", "x", "1.5"})
    void refusesBadOffsets(String value) {
        var e = assertThrows(InvalidInputException.class, () -> PageRules.PODS.parse(List.of(), List.of(value)));
        assertEquals("offset", e.violations().get(0).name());
    }

    @Test
    void refusesRepeatedValues() {
        var e = assertThrows(InvalidInputException.class,
                () -> PageRules.RUNNERS.parse(List.of("1", "1"), List.of()));
        assertEquals("limit", e.violations().get(0).name());
        var o = assertThrows(InvalidInputException.class,
                () -> PageRules.RUNNERS.parse(List.of(), List.of("0", "1")));
        assertEquals("offset", o.violations().get(0).name());
    }

    @Test
    void idsArePositiveInt64() {
        assertEquals(Long.MAX_VALUE, QueryValues.id("id", "9223372036854775807"));
        for (String bad : List.of("0", "-1", "9223372036854775808", "abc", "1x")) {
            assertThrows(InvalidInputException.class, () -> QueryValues.id("id", bad), bad);
        }
    }
}
