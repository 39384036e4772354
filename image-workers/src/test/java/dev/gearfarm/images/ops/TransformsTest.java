package dev.gearfarm.images.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Rotations, flips, EXIF orientations and crop, checked pixel by pixel on a 3x2 image. */
class TransformsTest {
    // 3x2 image:  1 2 3
    //             4 5 6
    private static BufferedImage sample() {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        int v = 1;
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                image.setRGB(x, y, v++);
            }
        }
        return image;
    }

    private static int[][] grid(BufferedImage image) {
        int[][] rows = new int[image.getHeight()][image.getWidth()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                rows[y][x] = image.getRGB(x, y) & 0xffffff;
            }
        }
        return rows;
    }

    @Test
    void rotatesClockwise() {
        assertThat(grid(Transforms.rotate(sample(), 90))).isEqualTo(new int[][] {{4, 1}, {5, 2}, {6, 3}});
        assertThat(grid(Transforms.rotate(sample(), 180))).isEqualTo(new int[][] {{6, 5, 4}, {3, 2, 1}});
        assertThat(grid(Transforms.rotate(sample(), 270))).isEqualTo(new int[][] {{3, 6}, {2, 5}, {1, 4}});
    }

    @Test
    void flips() {
        assertThat(grid(Transforms.flip(sample(), true))).isEqualTo(new int[][] {{3, 2, 1}, {6, 5, 4}});
        assertThat(grid(Transforms.flip(sample(), false))).isEqualTo(new int[][] {{4, 5, 6}, {1, 2, 3}});
    }

    @Test
    void transposeAndTransverseAreTheDiagonalMirrors() {
        assertThat(grid(Transforms.orient(sample(), Transforms.TRANSPOSE))).isEqualTo(new int[][] {{1, 4}, {2, 5}, {3, 6}});
        assertThat(grid(Transforms.orient(sample(), Transforms.TRANSVERSE))).isEqualTo(new int[][] {{6, 3}, {5, 2}, {4, 1}});
    }

    @Test
    void cropCopiesTheRectangleAndRefusesOneOutside() {
        assertThat(grid(Transforms.crop(sample(), 1, 0, 2, 2))).isEqualTo(new int[][] {{2, 3}, {5, 6}});
        assertThatThrownBy(() -> Transforms.crop(sample(), 2, 0, 2, 2))
                .isInstanceOf(ImageJobException.class)
                .hasMessageContaining("crop 2x2 at 2,0 does not fit inside the 3x2 image");
    }

    @Test
    void neverChangesTheInput() {
        BufferedImage image = sample();
        for (int o = 1; o <= 8; o++) {
            BufferedImage out = Transforms.orient(image, o);
            assertThat(out).isNotSameAs(image);
        }
        assertThat(grid(image)).isEqualTo(grid(sample()));
    }
}
