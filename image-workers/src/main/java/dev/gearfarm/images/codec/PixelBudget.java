package dev.gearfarm.images.codec;

import dev.gearfarm.images.ImageJobException;
import java.util.concurrent.Semaphore;

/**
 * Megapixels that may be decoded at once across all of a worker's jobs. A decode takes its image's
 * megapixels before it starts and gives them back when its job ends, so many large images arriving
 * together wait for each other instead of exhausting the heap. An image larger than the whole budget
 * takes all of it, so it runs alone rather than never.
 */
public final class PixelBudget {
    /**
     * Heap bytes reserved per decoded pixel: a 4-byte INT_RGB image, plus the copies orientation,
     * conversion and resizing make, plus the JDK JPEG decoder's own buffers for progressive files,
     * measured at about 32 bytes per pixel (research notes, 2.2).
     */
    public static final int BYTES_PER_PIXEL = 32;
    /** The share of the heap the budget may use; the rest is for encoded bytes, results and the runtime. */
    public static final double HEAP_SHARE = 0.6;

    private final int megapixels;
    private final Semaphore permits;

    /** A budget of {@code megapixels} (at least 1). */
    public PixelBudget(int megapixels) {
        if (megapixels < 1) {
            throw new IllegalArgumentException("pixel budget must be at least 1 MP, got " + megapixels);
        }
        this.megapixels = megapixels;
        this.permits = new Semaphore(megapixels, true);
    }

    /** A budget sized from this JVM's maximum heap: {@link #HEAP_SHARE} of it at {@link #BYTES_PER_PIXEL}. */
    public static PixelBudget fromHeap() {
        long bytes = (long) (Runtime.getRuntime().maxMemory() * HEAP_SHARE);
        return new PixelBudget((int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / BYTES_PER_PIXEL / 1_000_000)));
    }

    public int megapixels() {
        return megapixels;
    }

    /** Megapixels not taken right now. */
    public int available() {
        return permits.availablePermits();
    }

    /** Blocks until {@code pixels} fit (rounded up to whole megapixels), then holds them until the permit closes. */
    public Permit acquire(long pixels) {
        int wanted = (int) Math.min(megapixels, Math.max(1, (pixels + 999_999) / 1_000_000));
        try {
            permits.acquire(wanted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageJobException(ImageJobException.Reason.INTERNAL,
                    "interrupted while waiting for " + wanted + " MP of decode budget; the worker is stopping");
        }
        return new Permit(wanted);
    }

    /** Held megapixels; closing gives them back (once). */
    public final class Permit implements AutoCloseable {
        private final int held;
        private boolean closed;

        private Permit(int held) {
            this.held = held;
        }

        public int megapixels() {
            return held;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                permits.release(held);
            }
        }
    }
}
