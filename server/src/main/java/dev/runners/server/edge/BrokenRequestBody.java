package dev.runners.server.edge;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The web server failed while it read a request body off the connection: a chunk size that is not
 * hexadecimal, a chunked body over its own limit, a connection that ended inside the body. That is
 * the client's broken framing, yet Helidon throws it as whatever its parser met (a bare
 * NumberFormatException, say) from the body stream JAX-RS reads and closes. {@link #watch} wraps
 * every request's body stream ({@link EdgeGuard}), so the problem mapper tells it by its type.
 */
public final class BrokenRequestBody extends RuntimeException {
    private final int status;

    private BrokenRequestBody(RuntimeException failure) {
        super("the request body could not be read off the connection: " + failure, failure);
        this.status = HelidonInternals.refusedBodyStatus(failure);
    }

    /** 400, or the status the web server gave its refusal (413 for a chunked body over its limit). */
    public int status() {
        return status;
    }

    /** The body as the web server hands it over, with its failures as {@link BrokenRequestBody}. */
    public static InputStream watch(InputStream body) {
        return new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (RuntimeException e) {
                    throw broken(e);
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    return super.read(buffer, offset, length);
                } catch (RuntimeException e) {
                    throw broken(e);
                }
            }

            @Override
            public long skip(long n) throws IOException {
                try {
                    return super.skip(n);
                } catch (RuntimeException e) {
                    throw broken(e);
                }
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } catch (RuntimeException e) {
                    throw broken(e);
                }
            }
        };
    }

    private static BrokenRequestBody broken(RuntimeException failure) {
        return failure instanceof BrokenRequestBody already ? already : new BrokenRequestBody(failure);
    }
}
