package dev.runners.persistence;

/**
 * The change journal of tests that are not about the feed: each event is stored as its version and type,
 * the least {@link EventJournal} accepts (the feed's own tests encode whole events).
 */
public final class TestEvents {

    private TestEvents() {
    }

    /** A journal on {@code database} whose events read {@code {"version":N,"type":"…"}}. */
    public static EventJournal journal(Database database) {
        return new EventJournal(database, (version, change) -> json(version, change.type().wireName()));
    }

    /** The stored JSON of the event with {@code version} and the wire name {@code type}. */
    public static String json(long version, String type) {
        return "{\"version\":" + version + ",\"type\":\"" + type + "\"}";
    }
}
