package dev.gearfarm.images.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.spec.Format;
import dev.gearfarm.images.testsupport.Pixels;
import dev.gearfarm.images.testsupport.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Encoding: JPEG options, alpha flattening, metadata stripped, PNG alpha kept, WebP through libwebp. */
class ImageEncoderTest {

    private static BufferedImage halfTransparent() {
        BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0, 0, 255, 255));
        g.fillRect(0, 0, 20, 20);          // left half opaque blue, right half fully transparent
        g.dispose();
        return image;
    }

    private static BufferedImage read(byte[] bytes) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(bytes));
    }

    @Test
    void jpegFlattensAlphaOntoTheBackgroundInsteadOfWritingNothing() throws IOException {
        byte[] jpeg = ImageEncoder.encode(halfTransparent(), Format.JPEG, 95, false, 0xff0000);
        BufferedImage back = read(jpeg);
        Color right = new Color(back.getRGB(35, 10));
        Color left = new Color(back.getRGB(5, 10));
        assertThat(right.getRed()).isGreaterThan(240);
        assertThat(right.getBlue()).isLessThan(20);
        assertThat(left.getBlue()).isGreaterThan(240);
    }

    @Test
    void progressiveAndBaselineJpegsHaveTheirStartOfFrameMarkers() {
        BufferedImage image = halfTransparent();
        byte[] baseline = ImageEncoder.encode(image, Format.JPEG, 85, false, 0xffffff);
        byte[] progressive = ImageEncoder.encode(image, Format.JPEG, 85, true, 0xffffff);
        assertThat(indexOf(baseline, new byte[] {(byte) 0xff, (byte) 0xc0})).isPositive();
        assertThat(indexOf(progressive, new byte[] {(byte) 0xff, (byte) 0xc2})).isPositive();
        assertThat(indexOf(baseline, new byte[] {(byte) 0xff, (byte) 0xc2})).isNegative();
    }

    @Test
    void qualityChangesTheSize() {
        BufferedImage photo = photo();
        assertThat(ImageEncoder.encode(photo, Format.JPEG, 30, false, 0).length)
                .isLessThan(ImageEncoder.encode(photo, Format.JPEG, 95, false, 0).length);
    }

    @Test
    void metadataIsStripped() {
        // Landscape_6.jpg carries EXIF (orientation 6); what we write carries no EXIF and no ICC profile.
        byte[] source = TestImages.bytes("exif/Landscape_6.jpg");
        assertThat(indexOf(source, "Exif".getBytes(StandardCharsets.US_ASCII))).isPositive();
        byte[] out = ImageEncoder.encode(photo(), Format.JPEG, 85, false, 0);
        assertThat(indexOf(out, "Exif".getBytes(StandardCharsets.US_ASCII))).isNegative();
        assertThat(indexOf(out, "ICC_PROFILE".getBytes(StandardCharsets.US_ASCII))).isNegative();
    }

    @Test
    void pngKeepsAlpha() throws IOException {
        BufferedImage back = read(ImageEncoder.encode(halfTransparent(), Format.PNG, 85, false, 0xffffff));
        assertThat(back.getColorModel().hasAlpha()).isTrue();
        assertThat(back.getRGB(35, 10) >>> 24).isZero();
        assertThat(back.getRGB(5, 10)).isEqualTo(0xff0000ff);
    }

    @Test
    void webpRoundTripsThroughLibwebp() throws IOException {
        BufferedImage photo = photo();
        byte[] webp = ImageEncoder.encode(photo, Format.WEBP, 80, false, 0);
        assertThat(new String(webp, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(new String(webp, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("WEBP");
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, new PixelBudget(100));
        try (DecodedImage back = decoder.decode(webp, "webp", ImageDecoder.ScaleNeed.FULL)) {
            assertThat(back.format()).isEqualTo("webp");
            assertThat(back.image().getWidth()).isEqualTo(photo.getWidth());
            // q80 measured 37.5 dB through libwebp's decoder; a broken encode or decode lands far lower.
            assertThat(Pixels.psnr(back.image(), photo)).isGreaterThan(33);
        }
    }

    private static BufferedImage photo() {
        ImageDecoder decoder = new ImageDecoder(ImageDecoder.DEFAULT_MAX_PIXELS, new PixelBudget(100));
        try (DecodedImage image = decoder.decode(TestImages.bytes("exif/Landscape_1.jpg"), "l1",
                ImageDecoder.ScaleNeed.FULL)) {
            return image.image();
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
