package dev.runners.server.edge;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An answer's stream whose client has gone fails with an {@link IOException}, as JAX-RS expects.
 * Helidon 4.1.2 throws its own unchecked exception instead (a ServerConnectionException, the
 * IOException as its cause); Jersey
 * then neither commits nor fails the response, and Helidon's JAX-RS bridge waits for that forever:
 * the connection's thread never ends, and the web server's stop waits for it for the whole
 * {@code server.shutdown-grace-period} (Helidon issue 9442, fixed in 4.1.4).
 */
final class ClientGoneOutput extends FilterOutputStream {
    ClientGoneOutput(OutputStream out) {
        super(out);
    }

    private static IOException failed(RuntimeException e) {
        return e.getCause() instanceof IOException io ? io : new IOException(e);
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            out.write(bytes, offset, length);
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (RuntimeException e) {
            throw failed(e);
        }
    }
}
