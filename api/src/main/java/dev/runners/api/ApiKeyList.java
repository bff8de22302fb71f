package dev.runners.api;

import java.util.List;

/** {@code {"api_keys": [...]}}. */
public record ApiKeyList(List<ApiKeyView> apiKeys) {
}
