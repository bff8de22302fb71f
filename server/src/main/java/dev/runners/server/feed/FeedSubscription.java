package dev.runners.server.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.runners.domain.ChangeType;
import dev.runners.domain.EventRepository;
import dev.runners.domain.FeedEvent;

/**
 * One client following an organization's feed (an SSE stream or a waiting long poll). The
 * {@link ChangeFeed} pushes the events it reads once for every subscriber of the organization; the
 * subscription hands them on strictly in order, each once: whenever what it holds does not follow
 * on what it delivered (it joined late, or fell so far behind that its buffer overflowed), it reads
 * the missing events from the table instead.
 */
final class FeedSubscription implements AutoCloseable {
    /** Events buffered per subscriber; beyond that it reads from the table (bounded memory per subscriber). */
    static final int MAX_BUFFERED = 1000;
    /** Wakes a waiting reader; older than anything, so it is never delivered. */
    private static final FeedEvent WAKE = new FeedEvent(0, ChangeType.RUNNER_CHANGED, 0, null, "");

    private final long organizationId;
    private final EventRepository events;
    private final BlockingQueue<FeedEvent> buffer = new LinkedBlockingQueue<>();
    private final Runnable onClose;
    /** The table must be read before the buffer can be trusted again. */
    private volatile boolean behind = true;
    private volatile boolean closed;
    private long delivered;

    FeedSubscription(long organizationId, long since, EventRepository events, Runnable onClose) {
        this.organizationId = organizationId;
        this.delivered = since;
        this.events = events;
        this.onClose = onClose;
    }

    long organizationId() {
        return organizationId;
    }

    /** The version of the last event handed to the client. */
    long delivered() {
        return delivered;
    }

    boolean closed() {
        return closed;
    }

    /** Called by the feed, in version order; never blocks. */
    void push(FeedEvent event) {
        if (buffer.size() >= MAX_BUFFERED) {
            behind = true;
            return;
        }
        buffer.offer(event);
    }

    /** Something may have been committed that was not pushed: read the table on the next call. */
    void recheck() {
        behind = true;
        buffer.offer(WAKE);
    }

    /**
     * The next events after those delivered, in order and without gaps, at most {@code limit};
     * empty when nothing came within {@code wait} or the subscription was closed.
     */
    List<FeedEvent> next(Duration wait, int limit) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!closed) {
            if (behind) {
                behind = false;
                List<FeedEvent> read = events.after(organizationId, delivered, limit);
                if (!read.isEmpty()) {
                    delivered = read.get(read.size() - 1).version();
                    return read;
                }
            }
            long left = deadline - System.nanoTime();
            FeedEvent first = left <= 0 ? null : buffer.poll(left, TimeUnit.NANOSECONDS);
            if (first == null || closed) {
                return List.of();
            }
            List<FeedEvent> batch = new ArrayList<>();
            batch.add(first);
            buffer.drainTo(batch, limit - 1);
            batch.removeIf(event -> event.version() <= delivered);
            if (!follows(batch)) {
                behind = true;
            } else if (!batch.isEmpty()) {
                delivered = batch.get(batch.size() - 1).version();
                return batch;
            }
        }
        return List.of();
    }

    private boolean follows(List<FeedEvent> batch) {
        long expected = delivered + 1;
        for (FeedEvent event : batch) {
            if (event.version() != expected++) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            buffer.offer(WAKE);
            onClose.run();
        }
    }
}
