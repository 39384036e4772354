package dev.gearfarm.images.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.testsupport.Pixels;
import dev.gearfarm.images.testsupport.TestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding real images: orientation, limits, shrink on load, and every broken or hostile file. */
class ImageDecoderTest {
    private static final Set<Reason> CLEAR_ERRORS = EnumSet.of(Reason.CORRUPT_IMAGE, Reason.UNSUPPORTED_FORMAT,
            Reason.TOO_LARGE);
    private final ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, new PixelBudget(200));

    private DecodedImage decode(String relative) {
        return decoder.decode(TestImages.bytes(relative), relative, ImageDecoder.ScaleNeed.FULL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Landscape", "Portrait"})
    void everyExifOrientationComesOutUpright(String set) {
        try (DecodedImage reference = decode("exif/" + set + "_1.jpg")) {
            for (int orientation = 2; orientation <= 8; orientation++) {
                try (DecodedImage rotated = decode("exif/" + set + "_" + orientation + ".jpg")) {
                    assertThat(rotated.orientation()).as("orientation read from %s_%d", set, orientation)
                            .isEqualTo(orientation);
                    assertThat(rotated.image().getWidth()).isEqualTo(reference.image().getWidth());
                    assertThat(rotated.image().getHeight()).isEqualTo(reference.image().getHeight());
                    // The files hold the same picture stored turned or mirrored; upright, they match to
                    // within JPEG noise (measured: under 3 of 255), while a wrong turn differs by 30+.
                    assertThat(Pixels.meanDifference(rotated.image(), reference.image(), 48))
                            .as("%s_%d against %s_1", set, orientation, set).isLessThan(8.0);
                }
            }
        }
    }

    @Test
    void aWrongTurnIsDetectedByTheSameMeasure() {
        try (DecodedImage reference = decode("exif/Landscape_1.jpg")) {
            BufferedImage flipped = dev.gearfarm.images.ops.Transforms.flip(reference.image(), true);
            assertThat(Pixels.meanDifference(flipped, reference.image(), 48)).isGreaterThan(20.0);
        }
    }

    @Test
    void refusesTheDecompressionBombsFromTheHeaderWithTheSizeAndTheFlag() {
        for (String bomb : List.of("gdk-pixbuf/large.png", "gdk-pixbuf/large.jpg")) {
            assertThatThrownBy(() -> decode(bomb))
                    .isInstanceOfSatisfying(ImageJobException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
                    .hasMessageContaining(bomb)
                    .hasMessageContaining("MP), over the 50 MP limit")
                    .hasMessageContaining("--max-pixels");
        }
        assertThat(decoder.header(TestImages.bytes("gdk-pixbuf/large.png"), "large.png"))
                .isEqualTo(new ImageDecoder.Header("png", 25200, 33300));
    }

    @Test
    void aTruncatedJpegIsCorruptNamingTheSource() {
        assertThatThrownBy(() -> decode("gdk-pixbuf/premature-end.jpg"))
                .isInstanceOfSatisfying(ImageJobException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_IMAGE))
                .hasMessageContaining("gdk-pixbuf/premature-end.jpg");
    }

    @Test
    void bytesThatAreNoImageAreAnUnsupportedFormat() {
        assertThatThrownBy(() -> decoder.decode("<html>not found</html>".getBytes(), "http://x/a.jpg",
                ImageDecoder.ScaleNeed.FULL))
                .isInstanceOfSatisfying(ImageJobException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT))
                .hasMessageContaining("http://x/a.jpg").hasMessageContaining("3c 68 74 6d");
    }

    /** Every broken, fuzzed or hostile file either decodes or gives a clear error; nothing else escapes. */
    @ParameterizedTest
    @ValueSource(strings = {"broken-jpeg", "gdk-pixbuf/test-images/fail", "gdk-pixbuf/test-images/randomly-modified",
        "gdk-pixbuf"})
    void hostileFilesGiveAClearErrorOrAnImage(String folder) {
        List<String> errors = new ArrayList<>();
        int decoded = 0;
        for (Path file : TestImages.files(folder)) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            try (DecodedImage image = decoder.decode(bytes, file.toString(), ImageDecoder.ScaleNeed.FULL)) {
                assertThat(image.image().getWidth()).isPositive();
                decoded++;
            } catch (ImageJobException e) {
                assertThat(e.reason()).as(file + ": " + e.getMessage()).isIn(CLEAR_ERRORS);
                assertThat(e.getMessage()).contains(file.toString());
                errors.add(file.getFileName() + ": " + e.reason());
            }
        }
        assertThat(decoded + errors.size()).isEqualTo(TestImages.files(folder).size());
        assertThat(errors).as("files in %s that must be refused", folder).isNotEmpty();
    }

    @Test
    void cmykAndBrokenIccJpegsDecodeThroughTwelveMonkeys() {
        for (String name : List.of("jpeg/cmyk-sample.jpg", "jpeg/jfif-cmyk-invalid-icc-profile-srgb.jpg",
                "jpeg/exif-jfif-app13-app14ycck-3channel.jpg", "jpeg/cco-illegalargument-rgb-coated-fogra27.jpg",
                "jpeg/corrupted-icc-srgb.jpg")) {
            try (DecodedImage image = decode(name)) {
                assertThat(image.image().getType()).as(name).isIn(BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB);
                assertThat(image.format()).isEqualTo("jpeg");
            }
        }
    }

    @Test
    void animatedGifGivesItsFirstFrame() {
        try (DecodedImage image = decode("gdk-pixbuf/1_partyanimsm2.gif")) {
            assertThat(image.format()).isEqualTo("gif");
            assertThat(image.image().getWidth()).isEqualTo(image.width());
        }
    }

    @Test
    void shrinksOnLoadButKeepsTheHeadroomOverWhatTheOutputNeeds() {
        Path photo = TestImages.files("photos").get(0);
        byte[] bytes = TestImages.bytes("photos/" + photo.getFileName());
        ImageDecoder.Header header = decoder.header(bytes, "photo");
        double scale = 256.0 / Math.max(header.width(), header.height());
        try (DecodedImage image = decoder.decode(bytes, "photo", (w, h) -> scale)) {
            assertThat(image.subsampling()).isGreaterThan(1);
            assertThat(image.width()).isEqualTo(header.width());
            assertThat(Math.max(image.image().getWidth(), image.image().getHeight()))
                    .isGreaterThanOrEqualTo(ImageDecoder.SHRINK_HEADROOM * 256)
                    .isLessThan(Math.max(header.width(), header.height()) / 2 + 1);
        }
    }

    @Test
    void subsamplingFactorNeverCutsBelowTheHeadroom() {
        int headroom = ImageDecoder.SHRINK_HEADROOM;
        assertThat(ImageDecoder.subsampling(1.0)).isEqualTo(1);
        assertThat(ImageDecoder.subsampling(0.6 / headroom)).isEqualTo(1);
        assertThat(ImageDecoder.subsampling(0.5 / headroom)).isEqualTo(2);
        assertThat(ImageDecoder.subsampling(0.09 / headroom)).isEqualTo(11);
        assertThat(ImageDecoder.subsampling(0.14 / headroom)).isEqualTo(7);
        for (double scale = 0.001; scale < 1; scale += 0.0013) {
            int f = ImageDecoder.subsampling(scale);
            assertThat(1.0 / f).as("scale %s factor %d", scale, f)
                    .isGreaterThanOrEqualTo(Math.min(1.0, headroom * scale) - 1e-9);
        }
    }

    @Test
    void givesItsBudgetBackWhenClosedAndWhenItFails() {
        PixelBudget budget = new PixelBudget(100);
        ImageDecoder limited = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, budget);
        try (DecodedImage image = limited.decode(TestImages.bytes("exif/Landscape_1.jpg"), "l1", ImageDecoder.ScaleNeed.FULL)) {
            assertThat(budget.available()).isLessThan(100);
        }
        assertThatThrownBy(() -> limited.decode(TestImages.bytes("gdk-pixbuf/premature-end.jpg"), "p",
                ImageDecoder.ScaleNeed.FULL)).isInstanceOf(ImageJobException.class);
        assertThat(budget.available()).isEqualTo(100);
    }
}
