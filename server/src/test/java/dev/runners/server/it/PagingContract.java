package dev.runners.server.it;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.runners.server.support.Fixtures;
import dev.runners.server.support.Http;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static dev.runners.server.support.ApiAssertions.assertFields;
import static dev.runners.server.support.ApiAssertions.assertJson;
import static dev.runners.server.support.ApiAssertions.assertParameterProblem;
import static dev.runners.server.support.Fixtures.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Bounded lists (SPEC 1, 3, 4, 11): a default page size, limit and offset echoed beside the
 * total, and a {@code Link: <...>; rel="next"} on every page but the last, keeping the filters,
 * so that following the links reads a whole list, each item exactly once.
 */
abstract class PagingContract extends ApiContract {
    private static final Pattern NEXT = Pattern.compile("<(/[^>]*)>; rel=\"next\"");
    private static final String AVAILABLE = RUNNERS + "/available";
    private static final String[] ADMIN = {"Authorization", Fixtures.ADMIN};

    @Test
    void runnerListsHoldAHundredByDefaultAndLinkToTheRest() {
        Org org = organization();
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            all.add(onlineRunner(org.write(), String.format("runner-%03d", i), List.of(), 10));
        }

        Http.Reply first = get(RUNNERS, org.read());
        JsonObject page = assertJson(first, 200);
        assertFields(Set.of("runners", "total", "limit", "offset"), page);
        assertEquals(all.subList(0, 100), ids(page));
        assertEquals(150, page.getInt("total"));
        assertEquals(100, page.getInt("limit"));
        assertEquals(0, page.getInt("offset"));
        assertEquals(Optional.of("</api/v1/runners?limit=100&offset=100>; rel=\"next\""), first.header("Link"));

        Http.Reply last = get(RUNNERS + "?offset=100", org.read());
        assertEquals(all.subList(100, 150), ids(assertJson(last, 200)));
        assertEquals(100, last.json().getInt("offset"));
        assertEquals(Optional.empty(), last.header("Link"), "no Link on the last page");

        Http.Reply available = get(AVAILABLE, org.read());
        JsonObject availablePage = assertJson(available, 200);
        assertFields(Set.of("runners", "total", "limit", "offset"), availablePage);
        assertEquals(all.subList(0, 100), ids(availablePage), "equal free slots: by id");
        assertEquals(150, availablePage.getInt("total"));
        assertEquals(100, availablePage.getInt("limit"));
        assertEquals(0, availablePage.getInt("offset"));
        assertEquals(Optional.of("</api/v1/runners/available?limit=100&offset=100>; rel=\"next\""),
                available.header("Link"));

        assertEquals(all, walk(RUNNERS, bearer(org.read()), "runners", PagingContract::itemId));
        assertEquals(all, walk(RUNNERS + "?limit=7", bearer(org.read()), "runners", PagingContract::itemId));
        assertEquals(all, walk(RUNNERS + "?limit=1000", bearer(org.read()), "runners", PagingContract::itemId));
        assertEquals(all.subList(20, 150), walk(RUNNERS + "?offset=20&limit=13", bearer(org.read()), "runners",
                PagingContract::itemId));
        assertEquals(all, walk(AVAILABLE + "?limit=9", bearer(org.read()), "runners", PagingContract::itemId));
    }

    @Test
    void theLinkKeepsEveryFilterAndTheLimit() {
        Org org = organization();
        List<Long> both = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            both.add(onlineRunner(org.write(), "both-" + i, List.of("gpu", "high-memory"), 5));
            onlineRunner(org.write(), "gpu-only-" + i, List.of("gpu"), 5);
            fx.runner(org.write(), "offline-" + i, List.of("gpu", "high-memory"), 5);
        }
        long busy = onlineRunner(org.write(), "busy", List.of("gpu", "high-memory"), 1);
        pod(org.write(), busy, "p1", "running");
        List<Long> onlineOrBusy = new ArrayList<>(both);
        onlineOrBusy.add(busy);

        String query = "?status=online&status=busy&label=high-memory&label=gpu&limit=2";
        Http.Reply first = get(RUNNERS + query, org.read());
        assertEquals(Optional.of("</api/v1/runners?label=high-memory&label=gpu&status=online&status=busy"
                + "&limit=2&offset=2>; rel=\"next\""), first.header("Link"));
        assertEquals(onlineOrBusy, walk(RUNNERS + query, bearer(org.read()), "runners", PagingContract::itemId));

        Http.Reply available = get(AVAILABLE + "?label=high-memory&limit=3&offset=1", org.read());
        assertEquals(Optional.of("</api/v1/runners/available?label=high-memory&limit=3&offset=4>; rel=\"next\""),
                available.header("Link"));
        assertEquals(both.subList(1, 5), walk(AVAILABLE + "?label=high-memory&limit=3&offset=1", bearer(org.read()),
                "runners", PagingContract::itemId));

        Http.Reply encoded = get(RUNNERS + "?label=%67pu&label=high%2Dmemory&status=%6Fffline&limit=1", org.read());
        assertEquals(Optional.of("</api/v1/runners?label=gpu&label=high-memory&status=offline&limit=1&offset=1>; "
                + "rel=\"next\""), encoded.header("Link"), "values are sent decoded and percent-encoded again");
        assertEquals(5, walk(RUNNERS + "?label=%67pu&status=offline&limit=1", bearer(org.read()), "runners",
                PagingContract::itemId).size());
    }

    @Test
    void noLinkWhenNothingFollowsThePage() {
        Org org = organization();
        for (int i = 0; i < 4; i++) {
            fx.runner(org.write(), "r-" + i, List.of(), 5);
        }

        for (String query : List.of("", "?limit=4", "?limit=2&offset=2", "?offset=3", "?offset=4", "?offset=99",
                "?status=online", "?limit=1&label=gpu")) {
            Http.Reply reply = get(RUNNERS + query, org.read());
            assertEquals(200, reply.status(), reply::toString);
            assertEquals(Optional.empty(), reply.header("Link"), reply::toString);
        }
        assertEquals(Optional.of("</api/v1/runners?limit=3&offset=3>; rel=\"next\""),
                get(RUNNERS + "?limit=3", org.read()).header("Link"));
        assertEquals(Optional.empty(), get(AVAILABLE, org.read()).header("Link"));
    }

    @Test
    void podPagesLinkToTheNextWithTheStatusFilter() {
        Org org = organization();
        long id = fx.runner(org.write(), "r", List.of(), 1000);
        List<String> runningNewestFirst = new ArrayList<>();
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String key = String.format("p-%02d", i);
            pod(org.write(), id, key, i % 3 == 0 ? "completed" : "running");
            newestFirst.add(0, key);
            if (i % 3 != 0) {
                runningNewestFirst.add(0, key);
            }
        }
        String pods = RUNNERS + "/" + id + "/pods";

        Http.Reply first = get(pods, org.read());
        assertEquals(50, assertJson(first, 200).getJsonArray("pods").size());
        assertEquals(Optional.of("<" + pods + "?limit=50&offset=50>; rel=\"next\""), first.header("Link"));
        assertEquals(Optional.empty(), get(pods + "?offset=50", org.read()).header("Link"));
        assertEquals(Optional.of("<" + pods + "?status=running&status=paused&limit=7&offset=7>; rel=\"next\""),
                get(pods + "?status=running&status=paused&limit=7", org.read()).header("Link"));

        assertEquals(newestFirst, walk(pods, bearer(org.read()), "pods", p -> p.getString("key")));
        assertEquals(runningNewestFirst, walk(pods + "?status=running&limit=6", bearer(org.read()), "pods",
                p -> p.getString("key")));
    }

    @Test
    void theKeysOfAnOrganizationArePagedById() {
        String slug = fx.organization();
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < 105; i++) {
            keys.add(admin.key(slug, "{\"name\":\"key-" + i + "\",\"scopes\":[\"runners:read\"]}")
                    .getJsonObject("api_key").getJsonNumber("id").longValue());
        }
        String path = "/api/v1/admin/organizations/" + slug + "/api-keys";

        Http.Reply first = http.get(path, ADMIN);
        JsonObject page = assertJson(first, 200);
        assertFields(Set.of("api_keys", "total", "limit", "offset"), page);
        assertEquals(keys.subList(0, 100), keyIds(page));
        assertEquals(105, page.getInt("total"));
        assertEquals(100, page.getInt("limit"));
        assertEquals(0, page.getInt("offset"));
        assertEquals(Optional.of("<" + path + "?limit=100&offset=100>; rel=\"next\""), first.header("Link"));

        JsonObject second = assertJson(http.get(path + "?limit=3&offset=102", ADMIN), 200);
        assertEquals(keys.subList(102, 105), keyIds(second));
        assertEquals(105, second.getInt("total"));
        assertEquals(3, second.getInt("limit"));
        assertEquals(102, second.getInt("offset"));
        assertEquals(Optional.empty(), http.get(path + "?limit=3&offset=102", ADMIN).header("Link"));
        assertEquals(List.of(), keyIds(assertJson(http.get(path + "?offset=105", ADMIN), 200)));

        assertEquals(keys, walk(path + "?limit=10", ADMIN, "api_keys", PagingContract::itemId));
        assertEquals(keys, walk(path + "?limit=1000", ADMIN, "api_keys", PagingContract::itemId));

        for (String limit : List.of("0", "1001", "abc", "")) {
            assertParameterProblem(http.get(path + "?limit=" + limit, ADMIN), "INVALID_PARAMETER", "limit");
        }
        assertParameterProblem(http.get(path + "?offset=-1", ADMIN), "INVALID_PARAMETER", "offset");
        assertParameterProblem(http.get(path + "?limit=1&limit=2", ADMIN), "INVALID_PARAMETER", "limit");
        assertParameterProblem(http.get(path + "?page=2", ADMIN), "UNKNOWN_PARAMETER", "page");
    }

    // ---- helpers ----

    /** Reads a list from {@code path} by following its next links; checks every page on the way. */
    private <T> List<T> walk(String path, String[] credentials, String items, Function<JsonObject, T> id) {
        List<T> seen = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        String next = path;
        while (next != null) {
            if (!visited.add(next) || visited.size() > 1000) {
                fail("the links of " + path + " go round in a circle at " + next);
            }
            Http.Reply reply = http.get(next, credentials);
            JsonObject page = assertJson(reply, 200);
            page.getJsonArray(items).getValuesAs(JsonObject.class).forEach(item -> seen.add(id.apply(item)));
            Optional<String> link = reply.header("Link");
            boolean more = page.getInt("offset") + page.getInt("limit") < page.getJsonNumber("total").longValue();
            assertEquals(more, link.isPresent(), reply::toString);
            next = link.map(PagingContract::target).orElse(null);
        }
        assertEquals(seen.size(), new HashSet<>(seen).size(), () -> "an item was listed twice: " + seen);
        return seen;
    }

    private static String target(String link) {
        Matcher m = NEXT.matcher(link);
        assertTrue(m.matches(), () -> "Link: " + link);
        assertFalse(m.group(1).contains("://"), "a relative URL");
        return m.group(1);
    }

    private static long itemId(JsonObject item) {
        return item.getJsonNumber("id").longValue();
    }

    private static List<Long> keyIds(JsonObject page) {
        return page.getJsonArray("api_keys").getValuesAs(JsonObject.class).stream()
                .map(PagingContract::itemId)
                .toList();
    }
}
