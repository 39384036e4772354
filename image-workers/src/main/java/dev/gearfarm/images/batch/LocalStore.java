package dev.gearfarm.images.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/** Local folders: lists regular files (symbolic links to files included, folder links not followed). */
public final class LocalStore implements Store {
    @Override
    public boolean handles(String location) {
        return !location.contains("://") || location.startsWith("file://");
    }

    @Override
    public List<String> list(String root, boolean recursive) {
        Path dir = path(root);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(root + " is not a folder" + (Files.exists(dir) ? "" : " (it does not exist)")
                    + "; give a folder of images");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
            files.filter(Files::isRegularFile)
                    .forEach(file -> names.add(dir.relativize(file).toString().replace('\\', '/')));
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot list " + root + ": " + e.getMessage(), e);
        }
        Collections.sort(names);
        return names;
    }

    @Override
    public boolean exists(String location) {
        return Files.isRegularFile(path(location));
    }

    /** The path a location names, {@code file://} prefix removed. */
    static Path path(String location) {
        return Path.of(location.startsWith("file://") ? location.substring("file://".length()) : location);
    }
}
