package dev.gearfarm.thumbnail.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees: the README's one-command run, executed in a pseudo-terminal by {@code script}
 * (util-linux), so the client finds a terminal and draws its bar with carriage returns.
 */
class TerminalProgressIT {
    @TempDir
    Path dir;

    @Test
    void embeddedBatchOnATerminalRedrawsABarAndEndsWithTheSummary() throws Exception {
        Path script = Peers.program("script", "running the client in a pseudo-terminal");
        Path jar = Peers.file("thumbnail.jar", "build it with mvn package");
        Path samples = dir.resolve("samples");
        Files.createDirectories(samples);
        try (Stream<Path> files = Files.list(Path.of("..", "samples"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".jpg") || f.toString().endsWith(".png")).toList()) {
                Files.copy(f, samples.resolve(f.getFileName()));
            }
        }
        Path out = dir.resolve("thumbs");
        String command = Procs.java() + " -jar " + jar + " batch " + samples + " --out " + out + " --embedded";
        Procs.Result run = Procs.run(List.of(script.toString(), "-qfec", command, "/dev/null"), Map.of(), 180);

        String screen = run.out();
        assertThat(run.code()).as(screen).isZero();
        assertThat(screen).contains("\r[--------------------]  0/5  0%");
        assertThat(screen).contains("\r[####################]  5/5  100%");
        assertThat(screen).containsPattern("\\d+\\.\\d img/s");
        assertThat(screen).contains("done: 5 images: 5 made (5 outputs,").contains("0 skipped, 0 failed");
        assertThat(screen.indexOf("5/5  100%")).isLessThan(screen.indexOf("done: 5 images"));
        assertThat(screen).doesNotContain("progress: ");
        assertThat(out.resolve("landscape-clouds.256.jpg")).exists();
    }
}
