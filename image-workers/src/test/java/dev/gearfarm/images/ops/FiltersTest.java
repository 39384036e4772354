package dev.gearfarm.images.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.spec.Gravity;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Grayscale, blur, sharpen and watermark on small known images. */
class FiltersTest {

    // Black left half, white right half: a vertical edge at x = 20.
    private static BufferedImage edge() {
        BufferedImage image = new BufferedImage(40, 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, 20, 10);
        g.setColor(Color.LIGHT_GRAY);
        g.fillRect(20, 0, 20, 10);
        g.dispose();
        return image;
    }

    private static int red(BufferedImage image, int x, int y) {
        return (image.getRGB(x, y) >> 16) & 0xff;
    }

    @Test
    void grayscaleUsesLuminanceInAllChannels() {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xffff0000);
        image.setRGB(1, 0, 0x8000ff00);
        BufferedImage grey = Filters.grayscale(image);
        assertThat(grey.getRGB(0, 0)).isEqualTo(0xff4c4c4c);      // 0.299 * 255 = 76
        assertThat(grey.getRGB(1, 0)).isEqualTo(0x80969696);      // 0.587 * 255 = 150, alpha kept
        assertThat(image.getRGB(0, 0)).isEqualTo(0xffff0000);
    }

    @Test
    void blurSoftensTheEdgeButNotFlatAreasOrTheBorder() {
        BufferedImage image = edge();
        BufferedImage blurred = Filters.blur(image, 2.0);
        assertThat(red(blurred, 19, 5)).isGreaterThan(red(image, 19, 5));
        assertThat(red(blurred, 20, 5)).isLessThan(red(image, 20, 5));
        // Far from the edge, and at the image border (padded, not black-filled), nothing changes.
        assertThat(red(blurred, 0, 0)).isEqualTo(red(image, 0, 0));
        assertThat(red(blurred, 39, 9)).isEqualTo(red(image, 39, 9));
        assertThat(red(image, 19, 5)).isEqualTo(Color.GRAY.getRed());
    }

    @Test
    void sharpenIncreasesContrastAtTheEdge() {
        BufferedImage image = edge();
        BufferedImage sharp = Filters.sharpen(image, 1.0);
        assertThat(red(sharp, 19, 5)).isLessThan(red(image, 19, 5));
        assertThat(red(sharp, 20, 5)).isGreaterThan(red(image, 20, 5));
        assertThat(red(sharp, 5, 5)).isEqualTo(red(image, 5, 5));
    }

    @Test
    void gaussianWeightsSumToOne() {
        float sum = 0;
        for (float w : Filters.gaussian(1.5, 5)) {
            sum += w;
        }
        assertThat(sum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void watermarkSitsAtItsGravityWithMarginAndOpacity() {
        BufferedImage base = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);   // black
        BufferedImage mark = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = mark.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 10, 10);
        g.dispose();
        BufferedImage out = Watermarks.apply(base, mark, Gravity.SOUTH_EAST, 0.5, 5, null);
        // The mark covers x 85..94, y 65..74; half-opaque white on black is mid grey.
        assertThat(red(out, 90, 70)).isBetween(126, 129);
        assertThat(red(out, 96, 70)).isZero();
        assertThat(red(out, 84, 70)).isZero();
        assertThat(red(base, 90, 70)).isZero();
        BufferedImage scaled = Watermarks.apply(base, mark, Gravity.NORTH_WEST, 1.0, 0, 0.5);
        assertThat(red(scaled, 49, 39)).isEqualTo(255);
        assertThat(red(scaled, 51, 10)).isZero();
    }
}
