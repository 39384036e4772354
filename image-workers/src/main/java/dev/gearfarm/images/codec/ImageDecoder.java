package dev.gearfarm.images.codec;

import com.twelvemonkeys.imageio.color.ColorProfiles;
import com.twelvemonkeys.imageio.color.ColorSpaces;
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
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /**
     * libjpeg-turbo's DCT scaling keeps at least this many times the pixels an output needs per axis:
     * the scaled IDCT averages each block instead of dropping pixels, so it needs less headroom than
     * subsampling; 2 is vipsthumbnail's own rule (libvips' jpeg shrink-on-load). Measured with
     * bench/images-run's scaling section (10 photos, 256 px, imgscalr QUALITY, against a Lanczos
     * reference): see the module README.
     */
    public static final int DCT_HEADROOM = 2;

    /** Which decoder reads JPEGs. */
    public enum JpegDecoder {
        /** The JDK's and TwelveMonkeys' readers (ImageIO) only. */
        IMAGEIO,
        /** libjpeg-turbo's Java binding, required: the decoder cannot be made without it. */
        TURBOJPEG,
        /** libjpeg-turbo when its binding and library are installed, ImageIO otherwise. */
        AUTO;

        /** The command line's words: {@code auto}, {@code true} (libjpeg-turbo), {@code false} (ImageIO). */
        public static JpegDecoder parse(String word) {
            return switch (word == null ? "" : word.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> AUTO;
                case "true", "turbojpeg" -> TURBOJPEG;
                case "false", "imageio" -> IMAGEIO;
                default -> throw new IllegalArgumentException("--turbojpeg must be auto, true or false, got \"" + word + "\"");
            };
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ImageDecoder.class);

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
        this(maxPixels, budget, JpegDecoder.IMAGEIO);
    }

    /**
     * @param turboJpeg decode JPEGs through libjpeg-turbo's Java binding, scaling in the DCT
     *     (Debian's libturbojpeg-java and libturbojpeg0-dev); IllegalStateException naming them when missing
     */
    public ImageDecoder(long maxPixels, PixelBudget budget, boolean turboJpeg) {
        this(maxPixels, budget, turboJpeg ? JpegDecoder.TURBOJPEG : JpegDecoder.IMAGEIO);
    }

    /**
     * @param jpeg which decoder reads JPEGs; {@code TURBOJPEG} throws IllegalStateException naming the
     *     Debian packages when the binding is missing, {@code AUTO} falls back to ImageIO and logs why
     */
    public ImageDecoder(long maxPixels, PixelBudget budget, JpegDecoder jpeg) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max pixels must be at least 1, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
        this.budget = budget;
        this.turbo = switch (jpeg) {
            case IMAGEIO -> null;
            case TURBOJPEG -> TurboJpeg.shared();
            case AUTO -> autoTurbo();
        };
    }

    // Logged once per JVM: which JPEG decoder AUTO chose, and why not libjpeg-turbo when it did not.
    private static volatile boolean autoLogged;

    private static TurboJpeg autoTurbo() {
        try {
            TurboJpeg found = TurboJpeg.shared();
            if (!autoLogged) {
                autoLogged = true;
                log.info("JPEG decode: libjpeg-turbo from {} (scaled in the DCT), ImageIO for CMYK/YCCK and files it"
                        + " warns about", TurboJpeg.DEFAULT_JAR);
            }
            return found;
        } catch (IllegalStateException e) {
            if (!autoLogged) {
                autoLogged = true;
                log.info("JPEG decode: ImageIO (libjpeg-turbo not used: {})", e.getMessage());
            }
            return null;
        }
    }

    /** Which decoder reads plain JPEGs: {@code "libjpeg-turbo"} or {@code "imageio"}, for start-up lines. */
    public String jpegDecoder() {
        return turbo != null ? "libjpeg-turbo" : "imageio";
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
        if (turbo != null && "jpeg".equals(header.format())) {
            DecodedImage fast = turboDecode(bytes, header, orientation, shownW, shownH, scale);
            if (fast != null) {
                return fast;
            }
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
            BufferedImage upright = upright(Images.toIntType(raw), orientation);
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
     * The libjpeg-turbo decode, DCT-scaled, its ICC profile (if any) applied, oriented; null when the file
     * is for ImageIO: CMYK/YCCK, a profile that is broken or not RGB, a grey JPEG with a profile, or
     * anything libjpeg-turbo warns about.
     */
    private DecodedImage turboDecode(byte[] bytes, Header header, int orientation, int shownW, int shownH,
            double scale) {
        ColorSpace profile;
        try {
            profile = iccColourSpace(bytes);
        } catch (IllegalArgumentException e) {
            return null;    // a broken profile: TwelveMonkeys' reader has the repairs for those
        }
        int denominator = dctDenominator(scale);
        long pixels = (long) header.width() * header.height();
        PixelBudget.Permit permit = budget.acquire(pixels / ((long) denominator * denominator));
        try {
            BufferedImage scaled = turbo.decode(bytes, header.width(), header.height(), denominator, profile != null);
            if (scaled != null && profile != null) {
                scaled = toSrgb(scaled, profile);
            }
            if (scaled != null) {
                return new DecodedImage(upright(scaled, orientation), header.format(), shownW, shownH,
                        orientation, denominator, permit);
            }
        } catch (OutOfMemoryError e) {
            permit.close();
            throw e;
        } catch (RuntimeException e) {
            // A colour conversion the CMM refuses (CMMException and kin): ImageIO's rules decide.
            log.debug("libjpeg-turbo path handed {} to ImageIO: {}", header, e.toString());
        }
        permit.close();
        return null;
    }

    /**
     * The colour space of the JPEG's embedded ICC profile when pixels must be converted from it to sRGB;
     * null when there is none or it is sRGB (libjpeg-turbo's RGB is then already right). An unreadable,
     * incomplete or non-RGB profile is an IllegalArgumentException: the file goes to ImageIO.
     */
    static ColorSpace iccColourSpace(byte[] jpeg) {
        List<JPEGSegment> segments;
        try (ImageInputStream in = new ByteArrayImageInputStream(jpeg)) {
            segments = JPEGSegmentUtil.readSegments(in, JPEG.APP2, "ICC_PROFILE");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable segments", e);
        }
        if (segments.isEmpty()) {
            return null;
        }
        // The profile may be split over several APP2 segments, each starting with its sequence number
        // (1-based) and the count; they must all be there, once each.
        int count = segments.size();
        byte[][] chunks = new byte[count][];
        for (JPEGSegment segment : segments) {
            byte[] data;
            try (InputStream in = segment.data()) {
                data = in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalArgumentException("unreadable ICC segment", e);
            }
            // data() starts after "ICC_PROFILE\0": sequence number, count, then the chunk.
            if (data.length < 3 || (data[1] & 0xff) != count) {
                throw new IllegalArgumentException("ICC chunk count does not match the segments");
            }
            int sequence = data[0] & 0xff;
            if (sequence < 1 || sequence > count || chunks[sequence - 1] != null) {
                throw new IllegalArgumentException("bad ICC chunk sequence number");
            }
            chunks[sequence - 1] = Arrays.copyOfRange(data, 2, data.length);
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            whole.writeBytes(chunk);
        }
        ByteBuffer key = ByteBuffer.wrap(whole.toByteArray());
        Optional<ColorSpace> known = PROFILES.get(key);
        if (known == null) {
            known = Optional.ofNullable(rgbProfile(key.array()));
            if (PROFILES.size() >= MAX_PROFILES) {
                PROFILES.clear();
            }
            PROFILES.put(key, known);
        }
        return known.orElse(null);
    }

    // Profiles seen before, by their bytes: a batch from one camera carries the same profile in every
    // file, and building an LCMS transform costs more than the conversion of a small image.
    private static final int MAX_PROFILES = 64;
    private static final Map<ByteBuffer, Optional<ColorSpace>> PROFILES = new ConcurrentHashMap<>();

    // The colour space of an RGB profile, or null when it is sRGB in effect; IllegalArgumentException
    // when it is unreadable or not RGB. "sRGB in effect": TwelveMonkeys recognises the JDK's own sRGB
    // profile, and any other profile that maps a grid of test colours to within 1/255 of themselves (the
    // many re-issued "sRGB IEC61966-2.1" profiles) changes nothing worth a conversion.
    private static ColorSpace rgbProfile(byte[] bytes) {
        ICC_Profile profile;
        ColorSpace space;
        try {
            profile = ColorProfiles.createProfile(bytes);
            if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
                throw new IllegalArgumentException("not an RGB profile");
            }
            if (ColorProfiles.isCS_sRGB(profile)) {
                return null;
            }
            space = ColorSpaces.createColorSpace(profile);
            BufferedImage grid = new BufferedImage(8 * 8, 8, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < 8 * 8 * 8; i++) {
                grid.setRGB(i % 64, i / 64, ((i & 7) * 36 + 3) << 16 | ((i >> 3 & 7) * 36 + 3) << 8 | ((i >> 6) * 36 + 3));
            }
            BufferedImage converted = toSrgb(grid, space);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 64; x++) {
                    int a = grid.getRGB(x, y);
                    int b = converted.getRGB(x, y);
                    for (int shift = 0; shift < 24; shift += 8) {
                        if (Math.abs((a >> shift & 0xff) - (b >> shift & 0xff)) > 1) {
                            return space;
                        }
                    }
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unusable ICC profile: " + e, e);
        }
    }

    /** How many ICC_PROFILE APP2 segments the JPEG has; 0 when none or unreadable. */
    static int iccSegments(byte[] jpeg) {
        try (ImageInputStream in = new ByteArrayImageInputStream(jpeg)) {
            return JPEGSegmentUtil.readSegments(in, JPEG.APP2, "ICC_PROFILE").size();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * {@code image}'s RGB values read as {@code profile}'s and converted to sRGB, on the DCT-scaled image
     * (a few hundred thousand pixels rather than the full size); as TwelveMonkeys does for a full decode.
     */
    static BufferedImage toSrgb(BufferedImage image, ColorSpace profile) {
        DirectColorModel model = new DirectColorModel(profile, 24, 0xff0000, 0xff00, 0xff, 0, false,
                DataBuffer.TYPE_INT);
        BufferedImage tagged = new BufferedImage(model, image.getRaster(), false, null);
        BufferedImage srgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        new ColorConvertOp(null).filter(tagged, srgb);
        return srgb;
    }

    // A freshly decoded image that nobody else holds needs no copy when it is already upright (the
    // profile of a batch showed the copy of Transforms.orient for orientation 1 in every job).
    private static BufferedImage upright(BufferedImage fresh, int orientation) {
        return orientation == Transforms.IDENTITY ? fresh : Transforms.orient(fresh, orientation);
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
     * The libjpeg-turbo DCT scale (1/8, 1/4, 1/2 or 1) that still leaves {@link #DCT_HEADROOM} times
     * what the outputs need. DCT scaling averages rather than drops pixels, so it keeps quality.
     */
    static int dctDenominator(double scale) {
        for (int d = 8; d > 1; d /= 2) {
            if (scale > 0 && 1.0 / d >= scale * DCT_HEADROOM) {
                return d;
            }
        }
        return 1;
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
