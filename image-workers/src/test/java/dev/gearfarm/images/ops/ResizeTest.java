package dev.gearfarm.images.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.spec.Fit;
import dev.gearfarm.images.spec.Gravity;
import dev.gearfarm.images.spec.OutputSpec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Output sizes for fit, fill and exact, and gravity crops. */
class ResizeTest {

    private static OutputSpec.Builder out() {
        return OutputSpec.builder().destination("inline");
    }

    private static Resize.Plan plan(OutputSpec o, int w, int h) {
        return Resize.plan(o, w, h);
    }

    @Test
    void fitStaysInsideBothSidesOfTheBox() {
        // imgscalr's AUTOMATIC gives 300x225 here; inside the box means 133x100.
        Resize.Plan p = plan(out().width(300).height(100).build(), 1600, 1200);
        assertThat(p.width()).isEqualTo(133);
        assertThat(p.height()).isEqualTo(100);
        Resize.Plan portrait = plan(out().width(100).height(300).build(), 1200, 1600);
        assertThat(portrait.width()).isEqualTo(100);
        assertThat(portrait.height()).isEqualTo(133);
    }

    @Test
    void fitWithOneSideKeepsTheAspect() {
        Resize.Plan byWidth = plan(out().width(256).build(), 3840, 2160);
        assertThat(byWidth.width()).isEqualTo(256);
        assertThat(byWidth.height()).isEqualTo(144);
        Resize.Plan byHeight = plan(out().height(100).build(), 3840, 2160);
        assertThat(byHeight.width()).isEqualTo(178);
        assertThat(byHeight.height()).isEqualTo(100);
    }

    @Test
    void fitDoesNotUpscaleUnlessAsked() {
        Resize.Plan small = plan(out().size(1000).build(), 300, 200);
        assertThat(small.width()).isEqualTo(300);
        assertThat(small.height()).isEqualTo(200);
        Resize.Plan up = plan(out().size(1000).upscale(true).build(), 300, 200);
        assertThat(up.width()).isEqualTo(1000);
        assertThat(up.height()).isEqualTo(667);
    }

    @Test
    void fillCoversTheBoxExactlyAndCropsAtTheGravity() {
        OutputSpec centre = out().width(200).height(200).fit(Fit.FILL).build();
        Resize.Plan p = plan(centre, 1600, 800);
        assertThat(p.width()).isEqualTo(200);
        assertThat(p.height()).isEqualTo(200);
        assertThat(p.region()).isEqualTo(new Resize.Region(400, 0, 800, 800));
        assertThat(plan(out().width(200).height(200).fit(Fit.FILL).gravity(Gravity.WEST).build(), 1600, 800).region())
                .isEqualTo(new Resize.Region(0, 0, 800, 800));
        assertThat(plan(out().width(200).height(200).fit(Fit.FILL).gravity(Gravity.EAST).build(), 1600, 800).region())
                .isEqualTo(new Resize.Region(800, 0, 800, 800));
        assertThat(plan(out().width(100).height(50).fit(Fit.FILL).gravity(Gravity.SOUTH).build(), 400, 400).region())
                .isEqualTo(new Resize.Region(0, 200, 400, 200));
    }

    @Test
    void fillWithoutUpscaleClipsTheBoxToTheSource() {
        Resize.Plan p = plan(out().width(500).height(100).fit(Fit.FILL).build(), 300, 200);
        assertThat(p.width()).isEqualTo(300);
        assertThat(p.height()).isEqualTo(100);
        assertThat(p.region()).isEqualTo(new Resize.Region(0, 50, 300, 100));
    }

    @Test
    void exactStretches() {
        Resize.Plan p = plan(out().width(100).height(400).fit(Fit.EXACT).build(), 1600, 1200);
        assertThat(p.width()).isEqualTo(100);
        assertThat(p.height()).isEqualTo(400);
    }

    @Test
    void fillKeepsTheGravitysPartOfThePicture() {
        // Left half red, right half blue: a west fill is red, an east fill is blue.
        BufferedImage image = new BufferedImage(400, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 200, 100);
        g.setColor(Color.BLUE);
        g.fillRect(200, 0, 200, 100);
        g.dispose();
        BufferedImage west = Resize.apply(image, out().width(50).height(50).fit(Fit.FILL).gravity(Gravity.WEST).build());
        BufferedImage east = Resize.apply(image, out().width(50).height(50).fit(Fit.FILL).gravity(Gravity.EAST).build());
        assertThat(west.getWidth()).isEqualTo(50);
        assertThat(west.getRGB(25, 25) & 0xffffff).isEqualTo(0xff0000);
        assertThat(east.getRGB(25, 25) & 0xffffff).isEqualTo(0x0000ff);
    }

    @Test
    void planningOnTheFullSizeGivesTheSameOutputAfterShrinkOnLoad() {
        BufferedImage shrunk = new BufferedImage(910, 600, BufferedImage.TYPE_INT_RGB);
        OutputSpec o = out().size(256).build();
        BufferedImage result = Resize.apply(shrunk, o, 3640, 2400);
        Resize.Plan full = Resize.plan(o, 3640, 2400);
        assertThat(result.getWidth()).isEqualTo(full.width());
        assertThat(result.getHeight()).isEqualTo(full.height());
    }

    @Test
    void scalingDoesNotChangeItsInput() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        image.setRGB(10, 10, 0x123456);
        BufferedImage same = Resize.scale(image, 64, 64);
        assertThat(same).isNotSameAs(image);
        same.setRGB(10, 10, 0);
        assertThat(image.getRGB(10, 10) & 0xffffff).isEqualTo(0x123456);
    }
}
