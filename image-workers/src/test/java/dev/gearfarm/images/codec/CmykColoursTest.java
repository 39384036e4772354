package dev.gearfarm.images.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.testsupport.Pixels;
import dev.gearfarm.images.testsupport.TestImages;
import dev.gearfarm.images.testsupport.Tools;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CMYK and YCCK JPEGs come out in the colours ImageMagick gives them. ImageMagick (Debian's, run here)
 * converts to sRGB and writes a PNG; both are compared at 64x64 by mean absolute channel difference.
 * Tolerance 6 of 255: the two use different CMS paths (lcms against TwelveMonkeys' Java CMM), while
 * the JDK-only decoder's washed-out colours miss by 30 to 60 (research notes, 0.2).
 */
class CmykColoursTest {
    static final double TOLERANCE = 6.0;

    @ParameterizedTest
    @ValueSource(strings = {"jpeg/cmyk-sample.jpg", "jpeg/cmyk-sample-no-icc.jpg",
        "jpeg/jfif-cmyk-invalid-icc-profile-srgb.jpg", "jpeg/cmyk-sample-multiple-chunk-icc.jpg",
        "jpeg/exif-jfif-app13-app14ycck-3channel.jpg"})
    void cmykColoursMatchImageMagick(String name) throws Exception {
        String convert = Tools.require("/usr/bin/convert", "imagemagick", "comparing CMYK colours");
        Path source = TestImages.get(name);
        Path png = Files.createTempFile("cmyk-im", ".png");
        try {
            Process p = new ProcessBuilder(convert, source.toString(), "-colorspace", "sRGB", "-strip", png.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("convert exit code for " + name).isZero();
            BufferedImage magick = ImageIO.read(png.toFile());
            ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, new PixelBudget(200));
            try (DecodedImage ours = decoder.decode(Files.readAllBytes(source), name, ImageDecoder.ScaleNeed.FULL)) {
                double diff = Pixels.meanDifference(ours.image(), magick, 64);
                System.out.printf("CMYK %s: mean |dRGB| against ImageMagick %.2f; ours %s, IM %s%n", name, diff,
                        fmt(Pixels.meanRgb(Pixels.small(ours.image(), 64, 64))), fmt(Pixels.meanRgb(Pixels.small(magick, 64, 64))));
                assertThat(diff).as(name).isLessThan(TOLERANCE);
            }
        } finally {
            Files.deleteIfExists(png);
        }
    }

    private static String fmt(double[] rgb) {
        return String.format("(%.0f,%.0f,%.0f)", rgb[0], rgb[1], rgb[2]);
    }
}
