package dev.gearfarm.images.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.testsupport.Pixels;
import dev.gearfarm.images.testsupport.TestImages;
import dev.gearfarm.images.testsupport.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The libjpeg-turbo path gives the same pictures as ImageIO, and hands back what it does not suit. */
class TurboJpegTest {
    private ImageDecoder turbo;
    private ImageDecoder imageio;

    @BeforeEach
    void decoders() {
        Tools.requireThat(Files.isRegularFile(TurboJpeg.DEFAULT_JAR)
                        && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libturbojpeg.so")),
                "libjpeg-turbo's Java binding is missing; apt-get install libturbojpeg-java libturbojpeg0-dev");
        turbo = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, new PixelBudget(200), true);
        imageio = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, new PixelBudget(200));
    }

    @Test
    void scalesInTheDctAndMatchesImageIo() {
        Path photo = TestImages.files("photos").get(0);
        byte[] bytes = TestImages.bytes("photos/" + photo.getFileName());
        ImageDecoder.ScaleNeed need = (w, h) -> 256.0 / Math.max(w, h);
        try (DecodedImage fast = turbo.decode(bytes, "photo", need);
                DecodedImage slow = imageio.decode(bytes, "photo", ImageDecoder.ScaleNeed.FULL)) {
            assertThat(fast.subsampling()).isEqualTo(ImageDecoder.dctDenominator(256.0 / Math.max(slow.width(), slow.height())));
            assertThat(fast.subsampling()).isGreaterThan(1);
            assertThat(fast.width()).isEqualTo(slow.width());
            assertThat(fast.image().getWidth()).isEqualTo((slow.width() + fast.subsampling() - 1) / fast.subsampling());
            assertThat(Pixels.psnr(Pixels.small(fast.image(), 256, 160), Pixels.small(slow.image(), 256, 160)))
                    .isGreaterThan(35);
        }
    }

    @Test
    void everyOrientationComesOutUprightToo() {
        try (DecodedImage reference = imageio.decode(TestImages.bytes("exif/Portrait_1.jpg"), "p1",
                ImageDecoder.ScaleNeed.FULL)) {
            for (int o = 1; o <= 8; o++) {
                try (DecodedImage image = turbo.decode(TestImages.bytes("exif/Portrait_" + o + ".jpg"), "p" + o,
                        (w, h) -> 0.05)) {
                    assertThat(image.orientation()).isEqualTo(o);
                    assertThat(Pixels.meanDifference(image.image(), reference.image(), 48)).as("Portrait_" + o)
                            .isLessThan(8.0);
                }
            }
        }
    }

    @Test
    void cmykAndTruncatedFilesFallBackToImageIoRules() {
        try (DecodedImage cmyk = turbo.decode(TestImages.bytes("jpeg/cmyk-sample.jpg"), "cmyk", (w, h) -> 0.1);
                DecodedImage reference = imageio.decode(TestImages.bytes("jpeg/cmyk-sample.jpg"), "cmyk", (w, h) -> 0.1)) {
            // Handed to ImageIO (TwelveMonkeys' CMYK conversion): the very same pixels.
            assertThat(Pixels.meanDifference(cmyk.image(), reference.image())).isZero();
        }
        assertThatThrownBy(() -> turbo.decode(TestImages.bytes("gdk-pixbuf/premature-end.jpg"), "p", (w, h) -> 0.1))
                .isInstanceOfSatisfying(ImageJobException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT_IMAGE));
    }

    @Test
    void dctDenominatorKeepsTheHeadroom() {
        assertThat(ImageDecoder.dctDenominator(1.0)).isEqualTo(1);
        assertThat(ImageDecoder.dctDenominator(0.5 / ImageDecoder.SHRINK_HEADROOM)).isEqualTo(2);
        assertThat(ImageDecoder.dctDenominator(0.01)).isEqualTo(8);
        for (double s = 0.001; s < 1; s += 0.003) {
            assertThat(1.0 / ImageDecoder.dctDenominator(s)).isGreaterThanOrEqualTo(
                    Math.min(1.0, s * ImageDecoder.SHRINK_HEADROOM) - 1e-9);
        }
    }
}
