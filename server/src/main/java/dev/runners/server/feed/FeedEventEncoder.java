package dev.runners.server.feed;

import dev.runners.api.EventView;
import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.Change;
import dev.runners.domain.ChangeEncoder;
import dev.runners.server.json.RecordJsonWriter;

/** Event JSON, written once when the event is stored, by the writer of every runner and pod body. */
public final class FeedEventEncoder implements ChangeEncoder {
    private final AvailabilityPolicy policy;

    public FeedEventEncoder(AvailabilityPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String encode(long version, Change change) {
        return RecordJsonWriter.toJson(EventView.of(version, change, policy));
    }
}
