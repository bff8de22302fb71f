package dev.runners.server.feed;

import dev.runners.api.EventView;
import dev.runners.domain.AvailabilityPolicy;
import dev.runners.domain.Change;
import dev.runners.domain.ChangeEncoder;
import dev.runners.server.json.JsonbConfiguration;
import jakarta.json.bind.Jsonb;

/** Event JSON with the same JSON-B configuration as every response body. */
public final class FeedEventEncoder implements ChangeEncoder {
    private final Jsonb jsonb = new JsonbConfiguration().getContext(EventView.class);
    private final AvailabilityPolicy policy;

    public FeedEventEncoder(AvailabilityPolicy policy) {
        this.policy = policy;
    }

    @Override
    public String encode(long version, Change change) {
        return jsonb.toJson(EventView.of(version, change, policy));
    }
}
