package dev.gearfarm.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.spec.JobResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path dir;

    @Test
    void writesOneJsonObjectPerInputWithOutputsSkipsOrErrors() throws Exception {
        Path file = dir.resolve("r.jsonl");
        try (Report report = Report.create(file)) {
            report.write(new Report.Line("2024/cat.jpg", null, List.of(Report.Output.of(
                    new JobResult.OutputResult("inline", 256, 171, 10803, "jpeg", 0L), "/out/2024/cat.256.jpg")), null));
            report.write(new Report.Line("old.jpg", true, List.of(new Report.Output("/out/old.256.jpg", null, null, null, null)), null));
            report.write(new Report.Line("broken.jpg", null, null, "broken.jpg: truncated"));
        }
        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"input\":\"2024/cat.jpg\",\"outputs\":[{\"location\":\"/out/2024/cat.256.jpg\",\"width\":256,"
                        + "\"height\":171,\"bytes\":10803,\"format\":\"jpeg\"}]}",
                "{\"input\":\"old.jpg\",\"skipped\":true,\"outputs\":[{\"location\":\"/out/old.256.jpg\"}]}",
                "{\"input\":\"broken.jpg\",\"error\":\"broken.jpg: truncated\"}");
    }

    @Test
    void defaultFileIsHiddenInTheOutputFolderOrInTheCurrentFolderForS3() {
        Instant t = Instant.parse("2026-12-04T19:05:07Z");
        assertThat(Report.defaultFile("/out", t)).isEqualTo(Path.of("/out/.thumbnail-report-20261204-190507.jsonl"));
        assertThat(Report.defaultFile("s3://b/p", t)).isEqualTo(Path.of("thumbnail-report-20261204-190507.jsonl"));
    }

    @Test
    void anUnwritableReportIsAUsageErrorNamingTheFix() throws Exception {
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class,
                () -> Report.create(blocker.resolve("r.jsonl")));
        assertThat(e.exitCode()).isEqualTo(ThumbnailCli.EXIT_USAGE);
        assertThat(e.getMessage()).contains("--report FILE");
    }
}
