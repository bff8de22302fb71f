package dev.runners.api;

import java.util.List;

import dev.runners.domain.LabelSet;
import dev.runners.domain.PageRequest;
import dev.runners.domain.PageRules;
import dev.runners.domain.RunnerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueryValuesTest {

    @Test
    void runnerAndApiKeyListsDefaultTo100() {
        assertEquals(new PageRequest(100, 0), QueryValues.page(PageRules.RUNNERS, List.of(), List.of()));
        assertEquals(new PageRequest(100, 0), QueryValues.page(PageRules.API_KEYS, null, null));
    }

    @Test
    void podListsDefaultTo50() {
        assertEquals(new PageRequest(50, 0), QueryValues.page(PageRules.PODS, null, null));
    }

    @Test
    void acceptsTheBounds() {
        assertEquals(new PageRequest(1000, 2147483647), QueryValues.page(PageRules.RUNNERS, List.of("1000"), List.of("2147483647")));
        assertEquals(new PageRequest(1, 0), QueryValues.page(PageRules.PODS, List.of("1"), List.of("0")));
        assertEquals(100, QueryValues.page(PageRules.PODS, List.of("100"), List.of()).limit());
        assertEquals(new PageRequest(1000, 0), QueryValues.page(PageRules.API_KEYS, List.of("1000"), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "-1", "abc", "", " 5", "5 ", "+5", "05", "1.0", "1e3", "99999999999999999999"})
    void refusesBadRunnerLimits(String value) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> QueryValues.page(PageRules.RUNNERS, List.of(value), List.of()));
        assertEquals(InvalidInputException.Reason.INVALID_PARAMETER, e.reason());
        assertEquals("limit", e.violations().get(0).name());
    }

    @Test
    void refusesAPodLimitAbove100() {
        var e = assertThrows(InvalidInputException.class, () -> QueryValues.page(PageRules.PODS, List.of("101"), List.of()));
        assertEquals("limit", e.violations().get(0).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "2147483648", "x", "1.5"})
    void refusesBadOffsets(String value) {
        var e = assertThrows(InvalidInputException.class, () -> QueryValues.page(PageRules.PODS, List.of(), List.of(value)));
        assertEquals("offset", e.violations().get(0).name());
    }

    @Test
    void refusesRepeatedValues() {
        var e = assertThrows(InvalidInputException.class,
                () -> QueryValues.page(PageRules.RUNNERS, List.of("1", "1"), List.of()));
        assertEquals("limit", e.violations().get(0).name());
        var o = assertThrows(InvalidInputException.class,
                () -> QueryValues.page(PageRules.RUNNERS, List.of(), List.of("0", "1")));
        assertEquals("offset", o.violations().get(0).name());
    }

    @Test
    void idsArePositiveInt64() {
        assertEquals(Long.MAX_VALUE, QueryValues.id("id", "9223372036854775807"));
        for (String bad : List.of("0", "-1", "9223372036854775808", "abc", "1x")) {
            assertThrows(InvalidInputException.class, () -> QueryValues.id("id", bad), bad);
        }
    }

    @Test
    void aRunnerFilterNamesTheStatusParameterOfAnUnknownStatus() {
        assertEquals(java.util.Set.of(RunnerStatus.BUSY, RunnerStatus.ONLINE),
                QueryValues.runnerFilter(List.of("busy", "online"), List.of()).statuses());
        var e = assertThrows(InvalidInputException.class, () -> QueryValues.runnerFilter(List.of("idle"), null));
        assertEquals(QueryValues.STATUS, e.violations().get(0).name());
    }

    @Test
    void labelsAreCheckedByTheDomainsLabelRuleAndRefusedAsTheLabelParameter() {
        assertEquals(LabelSet.empty(), QueryValues.labels(null));
        var e = assertThrows(InvalidInputException.class, () -> QueryValues.labels(List.of("Not A Label!")));
        assertEquals(InvalidInputException.Reason.INVALID_PARAMETER, e.reason());
        assertEquals(QueryValues.LABEL, e.violations().get(0).name());
    }

    @Test
    void aCheckedValueIsRefusedWithTheRulesOwnWords() {
        assertEquals("ok", QueryValues.checked("key", "ok", v -> null));
        var e = assertThrows(InvalidInputException.class, () -> QueryValues.checked("key", "x", v -> "is not a key"));
        assertEquals("key", e.violations().get(0).name());
        assertEquals("is not a key", e.violations().get(0).message());
    }
}
