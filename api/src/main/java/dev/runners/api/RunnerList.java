package dev.runners.api;

import java.util.List;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** {@code {"runners": [...], "total", "limit", "offset"}}. */
@JsonbPropertyOrder({"runners", "total", "limit", "offset"})
public record RunnerList(List<RunnerView> runners, long total, int limit, int offset) implements PagedList {
}
