package dev.gearfarm.images.codec;

import java.awt.image.BufferedImage;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The optional JPEG decode path through libjpeg-turbo's own Java binding (Debian's libturbojpeg-java),
 * which scales in the DCT while decoding (1/2, 1/4, 1/8): the real shrink on load that the JDK's
 * decoder lacks. The jar is not on Maven Central, so it is loaded from its Debian path at run time and
 * called through method handles. Baseline and progressive YCbCr, RGB and grey JPEGs take this path (an
 * ICC profile is applied by {@link ImageDecoder} after the scaled decode); CMYK, YCCK and any file
 * libjpeg-turbo warns about go through ImageIO as before.
 */
final class TurboJpeg {
    /** Where Debian's libturbojpeg-java puts the binding. */
    static final Path DEFAULT_JAR = Path.of("/usr/share/java/turbojpeg.jar");
    private static final int CS_GRAY = 2;
    private static final int CS_CMYK = 3;
    private static final int CS_YCCK = 4;
    private static final int FLAG_STOPONWARNING = 8192;

    private final MethodHandle create;
    private final MethodHandle colorspace;
    private final MethodHandle decompress;
    private final MethodHandle close;

    private TurboJpeg(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> type = Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, loader);
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        create = lookup.findConstructor(type, MethodType.methodType(void.class, byte[].class));
        colorspace = lookup.findVirtual(type, "getColorspace", MethodType.methodType(int.class));
        decompress = lookup.findVirtual(type, "decompress",
                MethodType.methodType(BufferedImage.class, int.class, int.class, int.class, int.class));
        close = lookup.findVirtual(type, "close", MethodType.methodType(void.class));
    }

    private static TurboJpeg shared;
    private static IllegalStateException missing;

    /**
     * The binding from {@link #DEFAULT_JAR}, loaded once per JVM: a native library can belong to only
     * one class loader, so every decoder shares this one.
     */
    static synchronized TurboJpeg shared() {
        if (shared == null && missing == null) {
            try {
                shared = load(DEFAULT_JAR);
            } catch (IllegalStateException e) {
                missing = e;
            }
        }
        if (missing != null) {
            throw missing;
        }
        return shared;
    }

    /**
     * The binding from {@code jar}, its native library loaded; IllegalStateException naming the Debian
     * packages when the jar or the library is missing.
     */
    private static TurboJpeg load(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; apt-get install libturbojpeg-java libturbojpeg0-dev,"
                    + " or turn --turbojpeg off");
        }
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, TurboJpeg.class.getClassLoader());
            TurboJpeg turbo = new TurboJpeg(loader);
            Class.forName("org.libjpegturbo.turbojpeg.TJLoader", true, loader);
            return turbo;
        } catch (MalformedURLException | ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load libjpeg-turbo's Java binding from " + jar + " (" + e
                    + "); apt-get install libturbojpeg-java libturbojpeg0-dev (its loader needs libturbojpeg.so),"
                    + " or turn --turbojpeg off", e);
        }
    }

    /**
     * The JPEG decoded at 1/{@code denominator} of its size (1, 2, 4 or 8) as INT_RGB, or null when this
     * path does not suit the file (CMYK/YCCK; grey when {@code colourOnly}, since an RGB profile cannot
     * apply to it; or libjpeg-turbo reported a warning or an error: ImageIO then decodes it and applies
     * the usual rules for truncated and corrupt files).
     */
    BufferedImage decode(byte[] jpeg, int width, int height, int denominator, boolean colourOnly) {
        Object decompressor = null;
        try {
            decompressor = create.invoke(jpeg);
            int cs = (int) colorspace.invoke(decompressor);
            if (cs == CS_CMYK || cs == CS_YCCK || (colourOnly && cs == CS_GRAY)) {
                return null;
            }
            int w = (width + denominator - 1) / denominator;
            int h = (height + denominator - 1) / denominator;
            return (BufferedImage) decompress.invoke(decompressor, w, h, BufferedImage.TYPE_INT_RGB, FLAG_STOPONWARNING);
        } catch (Throwable e) {
            if (e instanceof Error error && !(e instanceof LinkageError)) {
                throw error;
            }
            return null;
        } finally {
            if (decompressor != null) {
                try {
                    close.invoke(decompressor);
                } catch (Throwable ignored) {
                    // Closing frees native memory; a failure here leaves nothing to do.
                }
            }
        }
    }
}
