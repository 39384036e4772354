package dev.gearfarm.images.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.spec.Fit;
import dev.gearfarm.images.spec.Format;
import dev.gearfarm.images.spec.OutputSpec;
import org.junit.jupiter.api.Test;

class OutputNamesTest {
    private static OutputSpec.Builder out() {
        return OutputSpec.builder().destination("/out");
    }

    @Test
    void squareFitKeepsThePathAndAddsSizeAndFormatExtension() {
        assertThat(OutputNames.relativeName("photos/2024/cat.jpg", out().size(256).build()))
                .isEqualTo("photos/2024/cat.256.jpg");
    }

    @Test
    void fillAndExactAddTheModeAndRectanglesBothSides() {
        assertThat(OutputNames.relativeName("cat.jpg", out().size(256).fit(Fit.FILL).format(Format.PNG).build()))
                .isEqualTo("cat.256.fill.png");
        assertThat(OutputNames.relativeName("cat.jpeg", out().width(300).height(200).fit(Fit.EXACT).build()))
                .isEqualTo("cat.300x200.exact.jpg");
    }

    @Test
    void oneSidedBoxesSayWhichSide() {
        assertThat(OutputNames.relativeName("a/cat.png", out().width(300).build())).isEqualTo("a/cat.w300.jpg");
        assertThat(OutputNames.relativeName("a/cat.png", out().height(120).build())).isEqualTo("a/cat.h120.jpg");
    }

    @Test
    void dotsInFoldersAndLeadingDotsAreNotExtensions() {
        assertThat(OutputNames.relativeName("v1.2/README", out().size(64).build())).isEqualTo("v1.2/README.64.jpg");
        assertThat(OutputNames.relativeName("archive.tar.gz", out().size(64).build())).isEqualTo("archive.tar.64.jpg");
    }

    @Test
    void resolveJoinsFoldersAndS3PrefixesWithOneSlash() {
        assertThat(OutputNames.resolve("s3://thumbs/prefix", "a/cat.256.jpg")).isEqualTo("s3://thumbs/prefix/a/cat.256.jpg");
        assertThat(OutputNames.resolve("s3://thumbs/", "cat.256.jpg")).isEqualTo("s3://thumbs/cat.256.jpg");
        assertThat(OutputNames.resolve("/tmp/out", "cat.256.jpg")).isEqualTo("/tmp/out/cat.256.jpg");
    }
}
