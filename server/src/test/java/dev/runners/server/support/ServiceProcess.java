package dev.runners.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged service ({@code server/target/runners-server.jar}, named by the system property
 * {@code runners.test.jar}) as a child process, configured the way an operator does it: through
 * environment variables. Each process gets a free port and a working directory of its own (where
 * the embedded database lands when no database is configured); its output is collected.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final String OUTPUT = "output.log";
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path directory;

    private ServiceProcess(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /** Starts the jar with these environment variables (and SERVER_PORT) without waiting for it. */
    public static ServiceProcess start(Map<String, String> environment) {
        String jar = System.getProperty("runners.test.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("runners.test.jar must name the packaged service, was " + jar);
        }
        try {
            int port = freePort();
            Path directory = Files.createTempDirectory("runners-service-");
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", Path.of(jar).toAbsolutePath().toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    // a file, not a pipe: nothing the process writes while it exits is lost
                    .redirectOutput(directory.resolve(OUTPUT).toFile());
            builder.environment().putAll(environment);
            builder.environment().put("SERVER_PORT", Integer.toString(port));
            builder.environment().put("SERVER_HOST", "127.0.0.1");
            return new ServiceProcess(builder.start(), port, directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Http http() {
        return new Http(uri());
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Waits until {@code /health/ready} answers 200; when it does not in time, ends the process
     * (a caller's try-with-resources never got hold of it) and fails with its output.
     */
    public ServiceProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw notReady("the service exited with " + process.exitValue());
            }
            if (readinessStatus() == 200) {
                return this;
            }
            pause(Duration.ofMillis(100));
        }
        throw notReady("the service was not ready within " + timeout);
    }

    private AssertionError notReady(String what) {
        String output = output();
        close();
        return new AssertionError(what + ":\n" + output);
    }

    /** The status of {@code /health/ready}, or -1 when nothing answers. */
    public int readinessStatus() {
        try {
            return PROBE.send(HttpRequest.newBuilder(uri().resolve("/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sends SIGTERM (what {@link Process#destroy()} does on Linux) without waiting. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end and returns its exit status; fails when it outlives {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the service still runs after " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process wrote so far, standard output and error together. */
    public String output() {
        try {
            return Files.readString(directory.resolve(OUTPUT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "[output unreadable: " + e.getMessage() + "]";
        }
    }

    /** Ends the process at once (SIGKILL) if it still runs, and removes its working directory. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    /** Starts all, then waits for each to be ready: they start at the same time. */
    public static List<ServiceProcess> startTogether(Map<String, String> environment, int count, Duration timeout) {
        List<ServiceProcess> services = Stream.generate(() -> start(environment)).limit(count).toList();
        try {
            services.forEach(s -> s.awaitReady(timeout));
        } catch (AssertionError e) {
            services.forEach(ServiceProcess::close);
            throw e;
        }
        return services;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
