package dev.runners.api;

import java.util.List;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** {@code {"runners": [...], "total": N}}. */
@JsonbPropertyOrder({"runners", "total"})
public record RunnerList(List<RunnerView> runners, long total) {
}
