package dev.gearfarm.images.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.testsupport.Pixels;
import dev.gearfarm.images.testsupport.TestImages;
import dev.gearfarm.images.testsupport.Tools;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void everyPhotoTakesTheDctPathProgressiveAndProfiledOnesToo() {
        // The benchmark's photos: baseline and progressive, one with an sRGB ICC profile. Every one must be
        // decoded by libjpeg-turbo at a DCT scale (a power of two), not handed back to ImageIO.
        boolean progressive = false;
        boolean profiled = false;
        for (Path photo : TestImages.files("photos")) {
            byte[] bytes = TestImages.bytes("photos/" + photo.getFileName());
            progressive |= hasMarker(bytes, 0xC2);
            profiled |= ImageDecoder.iccSegments(bytes) > 0;
            try (DecodedImage fast = turbo.decode(bytes, "fast", (w, h) -> 256.0 / Math.max(w, h));
                    DecodedImage slow = imageio.decode(bytes, "slow", ImageDecoder.ScaleNeed.FULL)) {
                int expected = ImageDecoder.dctDenominator(256.0 / Math.max(slow.width(), slow.height()));
                assertThat(fast.subsampling()).as(photo.getFileName().toString()).isEqualTo(expected).isGreaterThan(1);
                assertThat(fast.image().getWidth()).isEqualTo((slow.width() + expected - 1) / expected);
                assertThat(Pixels.psnr(Pixels.small(fast.image(), 240, 150), Pixels.small(slow.image(), 240, 150)))
                        .as(photo.getFileName().toString()).isGreaterThan(35);
            }
        }
        assertThat(progressive).as("a progressive JPEG among the photos").isTrue();
        assertThat(profiled).as("a photo with an ICC profile among the photos").isTrue();
    }

    @Test
    void anRgbProfileIsAppliedAfterTheScaledDecodeAsImageIoDoes() {
        byte[] adobe = TestImages.bytes("jpeg/cmm-exception-adobe-rgb.jpg");
        assertThat(ImageDecoder.iccColourSpace(adobe)).isNotNull();
        try (DecodedImage fast = turbo.decode(adobe, "adobe", (w, h) -> 0.2);
                DecodedImage full = turbo.decode(adobe, "adobe", ImageDecoder.ScaleNeed.FULL);
                DecodedImage slow = imageio.decode(adobe, "adobe", ImageDecoder.ScaleNeed.FULL)) {
            assertThat(fast.subsampling()).isEqualTo(2);
            // Unscaled, libjpeg-turbo plus the conversion gives ImageIO's (TwelveMonkeys') pixels exactly.
            assertThat(Pixels.meanDifference(full.image(), slow.image())).isLessThan(0.5);
            BufferedImage raw = TurboJpeg.shared().decode(adobe, slow.width(), slow.height(), 2, true);
            // Compared at 16x16: the strip is 626x76, so a larger square would be mostly resampling noise.
            double converted = Pixels.meanDifference(fast.image(), slow.image(), 16);
            double ignored = Pixels.meanDifference(raw, slow.image(), 16);
            assertThat(converted).isLessThan(0.8);
            assertThat(ignored).as("the profile changes the colours, so ignoring it must show")
                    .isGreaterThan(Math.max(1.5, 3 * converted));
        }
        // An sRGB profile needs no conversion.
        assertThat(ImageDecoder.iccColourSpace(TestImages.bytes("jpeg/srgb-exif-no-ifd1.jpg"))).isNull();
    }

    @Test
    void brokenOrNonRgbProfilesStayWithImageIo() {
        for (String name : List.of("jpeg/corrupted-icc-srgb.jpg", "jpeg/invalid-icc-single-chunk-bad-sequence-number.jpg",
                "jpeg/gray-sample.jpg", "jpeg/cmyk-sample-multiple-chunk-icc.jpg")) {
            byte[] bytes = TestImages.bytes(name);
            try (DecodedImage viaTurbo = turbo.decode(bytes, name, (w, h) -> 0.2);
                    DecodedImage viaImageIo = imageio.decode(bytes, name, (w, h) -> 0.2)) {
                // ImageIO's subsampling factor for 0.2 is 1; the DCT path would have scaled by 2.
                assertThat(viaTurbo.subsampling()).as(name).isEqualTo(1);
                assertThat(Pixels.meanDifference(viaTurbo.image(), viaImageIo.image())).as(name).isZero();
            }
        }
    }

    @Test
    void autoChoosesLibjpegTurboWhenInstalled() {
        assertThat(new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, new PixelBudget(10), ImageDecoder.JpegDecoder.AUTO)
                .jpegDecoder()).isEqualTo("libjpeg-turbo");
        assertThat(imageio.jpegDecoder()).isEqualTo("imageio");
    }

    private static boolean hasMarker(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == marker) {
                return true;
            }
        }
        return false;
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
        assertThat(ImageDecoder.dctDenominator(0.5 / ImageDecoder.DCT_HEADROOM)).isEqualTo(2);
        assertThat(ImageDecoder.dctDenominator(256.0 / 3840)).isEqualTo(4);    // as vipsthumbnail: 3840 -> 960
        assertThat(ImageDecoder.dctDenominator(0.01)).isEqualTo(8);
        for (double s = 0.001; s < 1; s += 0.003) {
            assertThat(1.0 / ImageDecoder.dctDenominator(s)).isGreaterThanOrEqualTo(
                    Math.min(1.0, s * ImageDecoder.DCT_HEADROOM) - 1e-9);
        }
    }
}
