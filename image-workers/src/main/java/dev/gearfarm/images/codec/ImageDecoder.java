package dev.gearfarm.images.codec;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.gearfarm.images.ImageJobException;
import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.ops.Images;
import dev.gearfarm.images.ops.Transforms;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes encoded bytes into an upright INT_RGB/INT_ARGB image, safely: the header is read first and
 * an image over the pixel limit is refused before a pixel is decoded; decodes wait for their share of
 * a {@link PixelBudget}; a source much larger than any output needs is shrunk while it is read; the
 * EXIF orientation (JPEG) is applied; CMYK/YCCK JPEGs and broken ICC profiles go through TwelveMonkeys.
 * Animated GIF and WebP give their first frame. Every failure is an {@link ImageJobException} that
 * names the source.
 *
 * <p>Thread-safe: one decoder serves all of a worker's jobs.
 */
public final class ImageDecoder {
    /** The default pixel limit, as imgproxy's: 50 megapixels. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    /**
     * Shrink on load keeps at least this many times the pixels an output needs per axis. Subsampling
     * keeps every n-th pixel and drops the rest, so it aliases; the precise resize afterwards needs real
     * detail to average. Measured on three photos against a Lanczos reference (256-px outputs, imgscalr
     * QUALITY): headroom 2 gave 36.1, 32.6 and 24.5 dB PSNR, headroom 4 gave 42.3, 37.5 and 28.4 dB
     * (a full decode: 41.7 dB on the first), for 30 to 100 ms more resizing.
     */
    public static final int SHRINK_HEADROOM = 4;

    static {
        // Without this ImageIO spools every stream to a temp file; our bytes are already in memory.
        ImageIO.setUseCache(false);
    }

    /**
     * The largest scale any output needs of a source displayed at {@code width x height}: 0.1 means no
     * output needs more than a tenth of its pixels per axis. At 1 or more there is no shrink on load.
     */
    @FunctionalInterface
    public interface ScaleNeed {
        /** No shrink on load: every pixel is decoded. */
        ScaleNeed FULL = (width, height) -> 1.0;

        double largestScale(int width, int height);
    }

    private static final String LIBWEBP_READERS = "com.luciad.imageio.webp.";

    private final long maxPixels;
    private final PixelBudget budget;
    private final TurboJpeg turbo;

    /** A decoder on ImageIO alone. */
    public ImageDecoder(long maxPixels, PixelBudget budget) {
        this(maxPixels, budget, false);
    }

    /**
     * @param turboJpeg decode plain JPEGs through libjpeg-turbo's Java binding, scaling in the DCT
     *     (Debian's libturbojpeg-java and libturbojpeg0-dev); IllegalStateException naming them when missing
     */
    public ImageDecoder(long maxPixels, PixelBudget budget, boolean turboJpeg) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max pixels must be at least 1, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
        this.budget = budget;
        this.turbo = turboJpeg ? TurboJpeg.shared() : null;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** The header only: format and size as stored (before orientation), without decoding pixels. */
    public record Header(String format, int width, int height) {}

    /** Reads format and stored size from the header; CORRUPT_IMAGE or UNSUPPORTED_FORMAT naming {@code reference}. */
    public Header header(byte[] bytes, String reference) {
        ImageReader reader = readers(bytes, reference).get(0);
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            reader.setInput(in, true, false);
            return readHeader(reader, reference);
        } catch (IOException e) {
            throw corrupt(reference, "?", e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * Decodes the first image (frame) of {@code bytes}.
     *
     * @param reference names the source in error messages
     * @param need how small the outputs are, for shrink on load
     */
    public DecodedImage decode(byte[] bytes, String reference, ScaleNeed need) {
        if (bytes.length == 0) {
            throw new ImageJobException(Reason.CORRUPT_IMAGE, "source " + reference + " is empty (0 bytes); send an image");
        }
        // Two readers may claim a format (TwelveMonkeys and the JDK for JPEG, libwebp and TwelveMonkeys
        // for WebP); when the first cannot decode the file the next gets a try, and the first error is
        // the one reported. Limits are not retried: every reader sees the same header.
        ImageJobException first = null;
        for (ImageReader reader : readers(bytes, reference)) {
            try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
                reader.setInput(in, true, false);
                return decode(reader, bytes, reference, need);
            } catch (ImageJobException e) {
                if (e.reason() != Reason.CORRUPT_IMAGE) {
                    throw e;
                }
                first = first == null ? e : first;
            } catch (IOException e) {
                first = first == null ? corrupt(reference, "?", e) : first;
            } finally {
                reader.dispose();
            }
        }
        throw first;
    }

    private DecodedImage decode(ImageReader reader, byte[] bytes, String reference, ScaleNeed need) {
        Header header = readHeader(reader, reference);
        long pixels = (long) header.width() * header.height();
        if (pixels > maxPixels) {
            throw new ImageJobException(Reason.TOO_LARGE, "source " + reference + " is " + header.width() + "x"
                    + header.height() + " (" + megapixels(pixels) + " MP), over the " + megapixels(maxPixels)
                    + " MP limit; raise --max-pixels or send a smaller image");
        }
        int orientation = "jpeg".equals(header.format()) ? exifOrientation(bytes) : 1;
        boolean swap = Transforms.swapsAxes(orientation);
        int shownW = swap ? header.height() : header.width();
        int shownH = swap ? header.width() : header.height();
        double scale = need.largestScale(shownW, shownH);
        if (turbo != null && "jpeg".equals(header.format()) && !hasIccProfile(bytes)) {
            int denominator = dctDenominator(scale);
            PixelBudget.Permit permit = budget.acquire(pixels / ((long) denominator * denominator));
            try {
                BufferedImage scaled = turbo.decode(bytes, header.width(), header.height(), denominator);
                if (scaled != null) {
                    return new DecodedImage(Transforms.orient(scaled, orientation), header.format(), shownW, shownH,
                            orientation, denominator, permit);
                }
            } catch (OutOfMemoryError e) {
                permit.close();
                throw e;
            }
            permit.close();
        }
        int factor = subsampling(scale);
        ImageReadParam param = reader.getDefaultReadParam();
        if (factor > 1) {
            param.setSourceSubsampling(factor, factor, 0, 0);
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        PixelBudget.Permit permit = budget.acquire(pixels / ((long) factor * factor));
        try {
            BufferedImage raw = reader.read(0, param);
            for (String warning : warnings) {
                if (isTruncation(warning)) {
                    throw new ImageJobException(Reason.CORRUPT_IMAGE, "source " + reference + " is a truncated "
                            + header.format() + " (" + warning + "); send the complete file");
                }
            }
            BufferedImage upright = Transforms.orient(Images.toIntType(raw), orientation);
            return new DecodedImage(upright, header.format(), shownW, shownH, orientation, factor, permit);
        } catch (ImageJobException e) {
            permit.close();
            throw e;
        } catch (OutOfMemoryError e) {
            permit.close();
            throw new ImageJobException(Reason.TOO_LARGE, "ran out of memory decoding source " + reference + " ("
                    + header.width() + "x" + header.height() + "); lower --max-pixels or --concurrency, or give the"
                    + " worker more heap (-Xmx)", e);
        } catch (IOException | RuntimeException e) {
            permit.close();
            throw corrupt(reference, header.format(), e);
        }
    }

    /**
     * The shrink-on-load factor for an output needing {@code scale} of the source per axis: the largest
     * whole factor that still leaves {@link #SHRINK_HEADROOM} times the needed size, or 1.
     */
    static int subsampling(double scale) {
        if (!(scale > 0) || scale * SHRINK_HEADROOM > 0.5) {
            return 1;
        }
        return (int) Math.floor(1.0 / (scale * SHRINK_HEADROOM));
    }

    /**
     * The libjpeg-turbo DCT scale (1/8, 1/4, 1/2 or 1) that still leaves {@link #SHRINK_HEADROOM} times
     * what the outputs need. DCT scaling averages rather than drops pixels, so it keeps quality.
     */
    static int dctDenominator(double scale) {
        for (int d = 8; d > 1; d /= 2) {
            if (scale > 0 && 1.0 / d >= scale * SHRINK_HEADROOM) {
                return d;
            }
        }
        return 1;
    }

    private static boolean hasIccProfile(byte[] jpeg) {
        try (ImageInputStream in = new ByteArrayImageInputStream(jpeg)) {
            return !JPEGSegmentUtil.readSegments(in, JPEG.APP2, "ICC_PROFILE").isEmpty();
        } catch (IOException | RuntimeException e) {
            return true;    // unreadable segments: let ImageIO and its error handling have the file
        }
    }

    private static boolean isTruncation(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("premature end") || w.contains("truncat");
    }

    private static List<ImageReader> readers(byte[] bytes, String reference) {
        List<ImageReader> readers = new ArrayList<>();
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            ImageIO.getImageReaders(in).forEachRemaining(readers::add);
        } catch (IOException e) {
            throw corrupt(reference, "?", e);
        }
        if (readers.isEmpty()) {
            String head = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(8, bytes.length));
            throw new ImageJobException(Reason.UNSUPPORTED_FORMAT, "source " + reference + " is not an image format"
                    + " we read (" + bytes.length + " bytes starting " + head + "); send JPEG, PNG, GIF, BMP, TIFF or WebP");
        }
        // libwebp's reader first: measured on a 1800x1200 lossy WebP it took 0.14 s at 37.5 dB PSNR against
        // the original, TwelveMonkeys' 9.2 s at 26.6 dB; TwelveMonkeys stays second for animated WebP,
        // which libwebp's reader refuses. ImageIO's own order depends on the classpath, so it is fixed here.
        readers.sort(Comparator.comparing(r -> r.getClass().getName().startsWith(LIBWEBP_READERS) ? 0 : 1));
        return readers;
    }

    private static Header readHeader(ImageReader reader, String reference) {
        String format = formatName(reader);
        try {
            return new Header(format, reader.getWidth(0), reader.getHeight(0));
        } catch (IOException | RuntimeException e) {
            throw corrupt(reference, format, e);
        }
    }

    private static String formatName(ImageReader reader) {
        try {
            String name = reader.getFormatName().toLowerCase(Locale.ROOT);
            return switch (name) {
                case "jpg" -> "jpeg";
                case "tif" -> "tiff";
                default -> name;
            };
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The EXIF orientation 1..8 of a JPEG; 1 when absent or unreadable (a broken EXIF block is no reason to fail). */
    static int exifOrientation(byte[] jpeg) {
        try (ImageInputStream in = new ByteArrayImageInputStream(jpeg)) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (segments.isEmpty()) {
                return 1;
            }
            InputStream data = segments.get(0).data();
            // data() skips "Exif\0"; the second NUL of the "Exif\0\0" identifier remains.
            if (data.skip(1) != 1) {
                return 1;
            }
            try (ImageInputStream exif = ImageIO.createImageInputStream(data)) {
                Directory directory = new TIFFReader().read(exif);
                Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
                if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
                    return n.intValue();
                }
            }
            return 1;
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    private static ImageJobException corrupt(String reference, String format, Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ImageJobException(Reason.CORRUPT_IMAGE, "source " + reference + " is a corrupt or truncated "
                + ("?".equals(format) ? "image" : format) + " (" + why + "); send a valid image", e);
    }

    private static String megapixels(long pixels) {
        return pixels >= 10_000_000 ? Long.toString(Math.round(pixels / 1e6)) : String.format(Locale.ROOT, "%.1f", pixels / 1e6);
    }
}
