package dev.gearfarm.images.ops;

import dev.gearfarm.images.spec.Gravity;
import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Draws one image over another at a gravity, with an opacity, a margin and an optional relative size. */
public final class Watermarks {
    private Watermarks() {}

    /**
     * A new image: {@code base} with {@code mark} drawn over it.
     *
     * @param scale the mark's width as a fraction of the base's width, or null for the mark's own size
     */
    public static BufferedImage apply(BufferedImage base, BufferedImage mark, Gravity position, double opacity,
            int margin, Double scale) {
        BufferedImage src = Images.toIntType(base);
        int mw = mark.getWidth();
        int mh = mark.getHeight();
        if (scale != null) {
            mw = Math.max(1, (int) Math.round(src.getWidth() * scale));
            mh = Math.max(1, (int) Math.round((double) mark.getHeight() * mw / mark.getWidth()));
        }
        BufferedImage scaledMark = mw == mark.getWidth() && mh == mark.getHeight() ? mark
                : Resize.scale(mark, mw, mh);
        BufferedImage out = Images.blank(src, src.getWidth(), src.getHeight());
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, (float) opacity));
            int x = (int) Math.round(margin + (src.getWidth() - 2.0 * margin - mw) * position.x());
            int y = (int) Math.round(margin + (src.getHeight() - 2.0 * margin - mh) * position.y());
            g.drawImage(scaledMark, x, y, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
