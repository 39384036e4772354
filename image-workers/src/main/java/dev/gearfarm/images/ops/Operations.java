package dev.gearfarm.images.ops;

import dev.gearfarm.images.spec.Operation;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.Function;

/** Runs the spec's operations in order; none of them changes the image it is given. */
public final class Operations {
    private Operations() {}

    /**
     * The result of every operation in turn.
     *
     * @param watermarks turns a watermark's source reference into its decoded image
     */
    public static BufferedImage apply(BufferedImage image, List<Operation> operations,
            Function<String, BufferedImage> watermarks) {
        BufferedImage current = image;
        for (Operation op : operations) {
            current = apply(current, op, watermarks);
        }
        return current;
    }

    /** The result of one operation. */
    public static BufferedImage apply(BufferedImage image, Operation op, Function<String, BufferedImage> watermarks) {
        if (op instanceof Operation.Crop c) {
            return Transforms.crop(image, c.x(), c.y(), c.width(), c.height());
        }
        if (op instanceof Operation.Rotate r) {
            return Transforms.rotate(image, r.degrees());
        }
        if (op instanceof Operation.Flip f) {
            return Transforms.flip(image, f.axis() == Operation.Flip.Axis.HORIZONTAL);
        }
        if (op instanceof Operation.Grayscale) {
            return Filters.grayscale(image);
        }
        if (op instanceof Operation.Blur b) {
            return Filters.blur(image, b.sigma());
        }
        if (op instanceof Operation.Sharpen s) {
            return Filters.sharpen(image, s.amount());
        }
        if (op instanceof Operation.Watermark w) {
            return Watermarks.apply(image, watermarks.apply(w.source()), w.position(), w.opacity(), w.margin(),
                    w.scale());
        }
        throw new IllegalArgumentException("no implementation for operation " + op);
    }
}
