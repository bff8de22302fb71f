package dev.runners.server.it;

import java.util.Map;

/** The crash test on the embedded database exactly as the jar ships it: no database setting at all. */
class CrashH2IT extends CrashContract {
    @Override
    Map<String, String> database() {
        return Map.of();
    }
}
