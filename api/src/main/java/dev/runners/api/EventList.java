package dev.runners.api;

import java.util.List;

import dev.runners.domain.FeedEvent;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * The long poll's answer: the events after {@code since}, each written as stored (its Event JSON),
 * and the version to continue from.
 */
@JsonbPropertyOrder({"events", "version"})
public record EventList(List<FeedEvent> events, long version) {
}
