package dev.runners.api;

import java.util.List;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** {@code {"pods": [...], "total", "limit", "offset"}}. */
@JsonbPropertyOrder({"pods", "total", "limit", "offset"})
public record PodPage(List<PodView> pods, long total, int limit, int offset) implements PagedList {
}
