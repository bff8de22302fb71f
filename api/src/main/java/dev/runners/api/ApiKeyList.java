package dev.runners.api;

import java.util.List;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** {@code {"api_keys": [...], "total", "limit", "offset"}}. */
@JsonbPropertyOrder({"apiKeys", "total", "limit", "offset"})
public record ApiKeyList(List<ApiKeyView> apiKeys, long total, int limit, int offset) implements PagedList {
}
