package dev.runners.server.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.runners.server.config.ServiceSettings;

/**
 * The real service as a child process: {@code java -jar server/target/runners-server.jar}, configured
 * through environment variables as an operator would, in a working directory of its own (where the
 * embedded database lives). For what only a whole process shows: crashes, signals, start-up errors,
 * several instances on one database.
 */
public final class ServiceProcess implements AutoCloseable {
    /** Set by failsafe; the jar is built by {@code package}, before the integration tests run. */
    private static final Path JAR = Path.of(System.getProperty("runners.server.jar", "target/runners-server.jar"));
    /**
     * The class-data archive of this build's jar, made once by {@link #startUpOptions()} (beside the jar,
     * so {@code clean} removes it) and used by every child JVM after it.
     */
    private static final Path ARCHIVE = JAR.resolveSibling("runners-server-tests.jsa");
    /**
     * Options that make a short-lived child JVM start in about half the time on a busy machine, without
     * changing what the service does: the C1 compiler only (no C2 threads competing with the tests for
     * the cores), the serial collector, and the class-data archive; the JVM's own notes about the archive
     * are kept out of the output, which some tests read line by line.
     */
    private static final List<String> START_UP = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    private static List<String> startUpOptions;

    private final Path workDir;
    private final Path log;
    private final int port;
    private final Process process;
    /** A working directory made for this process alone is removed with it; a caller's is kept. */
    private final boolean ownsWorkDir;

    private ServiceProcess(Path workDir, Path log, int port, Process process, boolean ownsWorkDir) {
        this.workDir = workDir;
        this.log = log;
        this.port = port;
        this.process = process;
        this.ownsWorkDir = ownsWorkDir;
    }

    /** Starts the jar with {@code env} in a new temporary working directory, without waiting for it. */
    public static ServiceProcess start(Map<String, String> env) {
        try {
            Path dir = Files.createTempDirectory("runners-service-");
            ServiceProcess service = start(dir, env, "-Xmx256m");
            return new ServiceProcess(service.workDir, service.log, service.port, service.process, true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Starts {@code count} processes at once, then waits for each to be ready. */
    public static List<ServiceProcess> startTogether(Map<String, String> env, int count, Duration timeout) {
        List<ServiceProcess> services = Stream.generate(() -> start(env)).limit(count).toList();
        try {
            for (ServiceProcess service : services) {
                service.awaitReady(timeout);
            }
        } catch (RuntimeException | AssertionError e) {
            services.forEach(ServiceProcess::close);
            throw new AssertionError("the services did not all start", e);
        }
        return services;
    }

    /**
     * Starts the jar with {@code env} (plus {@code SERVER_PORT}, unless given) in {@code workDir};
     * returns at once, without waiting for readiness.
     */
    public static ServiceProcess start(Path workDir, Map<String, String> env, String... jvmOptions) throws IOException {
        Files.createDirectories(workDir);
        Map<String, String> settings = new HashMap<>(env);
        int port = settings.containsKey("SERVER_PORT") ? Integer.parseInt(settings.get("SERVER_PORT")) : freePort();
        settings.putIfAbsent("SERVER_PORT", Integer.toString(port));
        settings.putIfAbsent("SERVER_HOST", "127.0.0.1");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(startUpOptions());
        command.addAll(List.of(jvmOptions));
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        Path log = Files.createTempFile(workDir, "service-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(settings);
        return new ServiceProcess(workDir, log, port, builder.start(), false);
    }

    /** Starts the jar and waits until {@code /health/ready} answers 200. */
    public static ServiceProcess startReady(Path workDir, Map<String, String> env, String... jvmOptions)
            throws IOException, InterruptedException {
        ServiceProcess service = start(workDir, env, jvmOptions);
        service.awaitReady(Duration.ofSeconds(180));
        return service;
    }

    /**
     * {@link #START_UP} and the archive, which the first call makes: the jar is started once on a
     * throw-away embedded database with {@code -XX:ArchiveClassesAtExit}, asked for what a test asks
     * for, and stopped with SIGTERM, when the JVM writes the classes it loaded. Without an archive
     * (it could not be made) the child JVMs start without one, only slower.
     */
    static synchronized List<String> startUpOptions() {
        if (startUpOptions == null) {
            List<String> options = new ArrayList<>(START_UP);
            if (archiveReady()) {
                options.add("-XX:SharedArchiveFile=" + ARCHIVE.toAbsolutePath());
            }
            startUpOptions = List.copyOf(options);
        }
        return startUpOptions;
    }

    /**
     * Whether the archive is there, made by this JVM if need be. The integration tests run in two forks:
     * a lock file beside the jar lets one make it while the other waits for it, not make it a second time.
     */
    private static boolean archiveReady() {
        try (FileChannel lock = FileChannel.open(ARCHIVE.resolveSibling(ARCHIVE.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = lock.lock()) {
            return archiveIsCurrent() || makeArchive();
        } catch (IOException e) {
            return archiveIsCurrent() || makeArchive();
        }
    }

    private static boolean archiveIsCurrent() {
        try {
            return Files.isRegularFile(ARCHIVE) && Files.size(ARCHIVE) > 0
                    && Files.getLastModifiedTime(ARCHIVE).compareTo(Files.getLastModifiedTime(JAR)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean makeArchive() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("runners-archive-");
            Path partial = dir.resolve("runners-server.jsa");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(START_UP);
            command.add("-XX:ArchiveClassesAtExit=" + partial.toAbsolutePath());
            command.add("-jar");
            command.add(JAR.toAbsolutePath().toString());
            int port = freePort();
            Path log = dir.resolve("service.log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(Map.of("SERVER_PORT", Integer.toString(port), "SERVER_HOST", "127.0.0.1",
                    "RUNNERS_ADMIN_TOKEN", TestDatabase.ADMIN_TOKEN));
            ServiceProcess training = new ServiceProcess(dir, log, port, builder.start(), false);
            try {
                training.awaitReady(Duration.ofSeconds(180));
                Http http = training.http();
                Fixtures fx = new Fixtures(http);
                String key = fx.key(fx.organization(), "runners:write");
                fx.runner(key, "archive", List.of("gpu"), 2);
                http.get("/api/v1/runners", Fixtures.bearer(key));
                http.get("/metrics");
                http.get("/openapi");
                if (training.terminate(Duration.ofSeconds(120)) < 0 || !Files.isRegularFile(partial)) {
                    return false;
                }
            } finally {
                training.close();
            }
            Files.move(partial, ARCHIVE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | RuntimeException | AssertionError e) {
            System.err.println("No class-data archive for the service's child JVMs (they start without one): " + e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public Path workDir() {
        return workDir;
    }

    public Process process() {
        return process;
    }

    public Http http() {
        return new Http(uri());
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The status of {@code /health/ready}, or -1 when nothing answers. */
    public int readinessStatus() {
        // a client per probe, closed after it, so that no connection of the test's stays open on the service
        try (HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            return probe.send(HttpRequest.newBuilder(uri().resolve("/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits for readiness; fails with the process output when it exits or the time runs out. */
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

    /** Ends the process (a caller's try-with-resources never got hold of it) and fails with its output. */
    private AssertionError notReady(String what) {
        String output = output();
        close();
        return new AssertionError(what + ":\n" + output);
    }

    /** {@code kill -9}: no shutdown hook, no flush, nothing the process can do about it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM (what {@link Process#destroy()} does on Linux) without waiting. */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM, as Kubernetes sends it; returns the exit status, or -1 if it did not exit in time. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
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

    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Everything the process wrote to stdout and stderr so far. */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    /** MicroProfile config keys as the environment variables an operator sets ({@code db.connection.url} → {@code DB_CONNECTION_URL}). */
    public static Map<String, String> environment(Map<String, String> settings) {
        Map<String, String> environment = new HashMap<>();
        settings.forEach((key, value) -> environment.put(ServiceSettings.environmentVariable(key), value));
        return environment;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Ends the process at once (SIGKILL) if it still runs; removes a working directory made for it. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsWorkDir) {
            deleteTree(workDir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
