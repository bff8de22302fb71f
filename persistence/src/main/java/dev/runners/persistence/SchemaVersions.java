package dev.runners.persistence;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The versions of the Flyway migrations that ship beside a class (in its jar or its classes
 * folder), read from their file names ({@code V5_1__change_feed.sql} is version {@code 5.1}, as
 * Flyway writes it into its history), without Flyway.
 */
final class SchemaVersions {
    private static final Pattern MIGRATION = Pattern.compile("V(\\d+(?:[._]\\d+)*)__[^/]*\\.sql");

    private SchemaVersions() {
    }

    /** The newest version in {@code folders}; empty when none is found or they cannot be read. */
    static Optional<String> newest(Class<?> beside, List<String> folders) {
        try {
            Path location = Path.of(beside.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> names = Files.isDirectory(location) ? inFolders(location, folders) : inJar(location, folders);
            return names.stream().map(SchemaVersions::version).flatMap(Optional::stream)
                    .max(Comparator.comparing(SchemaVersions::parts, Arrays::compare));
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code 5.1} for {@code V5_1__change_feed.sql}; empty for any other name. */
    static Optional<String> version(String fileName) {
        Matcher matcher = MIGRATION.matcher(fileName);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int[] parts = parts(matcher.group(1).replace('_', '.'));
        return Optional.of(String.join(".", Arrays.stream(parts).mapToObj(Integer::toString).toList()));
    }

    private static int[] parts(String version) {
        return Arrays.stream(version.split("\\.")).mapToInt(Integer::parseInt).toArray();
    }

    private static List<String> inFolders(Path root, List<String> folders) throws IOException {
        List<String> names = new ArrayList<>();
        for (String folder : folders) {
            Path path = root.resolve(folder);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.map(file -> file.getFileName().toString()).forEach(names::add);
                }
            }
        }
        return names;
    }

    private static List<String> inJar(Path jar, List<String> folders) throws IOException {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : file.stream().toList()) {
                String name = entry.getName();
                int slash = name.lastIndexOf('/');
                if (slash > 0 && folders.contains(name.substring(0, slash))) {
                    names.add(name.substring(slash + 1));
                }
            }
        }
        return names;
    }
}
