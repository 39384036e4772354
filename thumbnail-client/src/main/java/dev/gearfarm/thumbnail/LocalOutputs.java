package dev.gearfarm.thumbnail;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes outputs that came back inline into the output folder the way the workers' file sink does:
 * a hidden temporary file in the same folder, then a rename, so a file that exists is complete (which is
 * what resuming counts on) even when the client is killed mid-write.
 */
final class LocalOutputs {
    private LocalOutputs() {}

    static void write(Path target, byte[] bytes, int offset, int length) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            // Temporary files are created owner-only; a thumbnail is meant to be shared like its source.
            if (Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (var out = Files.newOutputStream(temp)) {
                out.write(bytes, offset, length);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
