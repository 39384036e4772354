package dev.gearfarm.images.codec;

import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.ops.Images;
import dev.gearfarm.images.spec.Format;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes an image as JPEG, PNG or WebP with an {@link ImageWriter} directly (never
 * {@code ImageIO.write}, which returns false and writes nothing for an ARGB JPEG). Metadata is
 * stripped by construction: the image is written without any (no EXIF, no ICC; pixels are sRGB).
 * WebP is written by libwebp through {@code com.github.usefulness:webp-imageio} (JNI).
 */
public final class ImageEncoder {
    private ImageEncoder() {}

    /**
     * The encoded bytes.
     *
     * @param quality 1..100, for JPEG and WebP (lossy); PNG is lossless and ignores it
     * @param progressive JPEG only: progressive scans instead of baseline
     * @param backgroundRgb 0xRRGGBB behind transparent parts when the format has no alpha (JPEG)
     */
    public static byte[] encode(BufferedImage image, Format format, int quality, boolean progressive,
            int backgroundRgb) {
        BufferedImage pixels = format == Format.JPEG ? Images.flatten(image, backgroundRgb) : Images.toIntType(image);
        ImageWriter writer = writer(format);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, pixels.getWidth() * pixels.getHeight() / 4));
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(pixels, null, null), param(writer, format, quality, progressive));
        } catch (IOException | RuntimeException e) {
            throw new ImageJobException(Reason.INTERNAL, "cannot encode a " + pixels.getWidth() + "x"
                    + pixels.getHeight() + " image as " + format.jsonName() + ": " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        if (bytes.size() == 0) {
            throw new ImageJobException(Reason.INTERNAL, "the " + format.jsonName() + " writer produced no bytes for a "
                    + pixels.getWidth() + "x" + pixels.getHeight() + " image");
        }
        return bytes.toByteArray();
    }

    private static ImageWriter writer(Format format) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByMIMEType(format.mediaType());
        if (!writers.hasNext()) {
            throw new ImageJobException(Reason.UNSUPPORTED_FORMAT, "no " + format.jsonName()
                    + " writer on this worker's classpath; ask for jpeg or png");
        }
        return writers.next();
    }

    private static ImageWriteParam param(ImageWriter writer, Format format, int quality, boolean progressive) {
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (format == Format.JPEG) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            param.setProgressiveMode(progressive ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
        } else if (format == Format.WEBP) {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("Lossy");
            param.setCompressionQuality(quality / 100f);
        }
        return param;
    }
}
