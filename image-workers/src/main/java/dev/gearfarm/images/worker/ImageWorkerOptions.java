package dev.gearfarm.images.worker;

import dev.gearfarm.gearman.worker.WorkerOptions;
import dev.gearfarm.images.codec.ImageDecoder;
import dev.gearfarm.images.s3.S3Settings;
import dev.gearfarm.images.source.HttpSourceOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How an {@link ImageWorkerService} runs: which job servers it serves, how many jobs at once, where it
 * may read and write files, its limits, and how it reaches HTTP and S3.
 *
 * @param servers job servers, {@code host:port} (port 4730 when left out)
 * @param concurrency jobs running at once, across all servers
 * @param allowRoots folders file sources may be read from (none: file sources are off)
 * @param outputRoots folders outputs may be written to (none: file destinations are off)
 * @param maxPixels the largest source image, in pixels, checked from its header before decoding
 * @param maxDownloadBytes the largest encoded source (and watermark) from any source, inline included
 * @param http HTTP source options; its {@code maxBytes} is replaced by {@code maxDownloadBytes}
 * @param s3 S3 settings, or null for no {@code s3://} sources and destinations
 * @param decodeBudgetMegapixels megapixels decoded at once across all jobs; 0 sizes it from the heap
 * @param clientId sent to the servers with {@code SET_CLIENT_ID} (empty: none)
 * @param shutdownTimeout how long {@code close()} lets running jobs finish before interrupting them
 * @param jpegDecoder how JPEGs are decoded: libjpeg-turbo's Java binding (Debian libturbojpeg-java), which
 *     scales while decoding, ImageIO, or {@code AUTO} (libjpeg-turbo when installed); see the README's benchmark
 * @param httpPort the port of {@code /metrics} and {@code /health}; {@link #HTTP_OFF} for none, 0 for any free
 *     port ({@link ImageWorkerService#httpAddress()} tells which)
 * @param httpListen the address that port is bound to
 */
public record ImageWorkerOptions(List<String> servers, int concurrency, List<Path> allowRoots, List<Path> outputRoots,
        long maxPixels, long maxDownloadBytes, HttpSourceOptions http, S3Settings s3, int decodeBudgetMegapixels,
        String clientId, Duration shutdownTimeout, ImageDecoder.JpegDecoder jpegDecoder, int httpPort,
        String httpListen) {

    public static final int DEFAULT_CONCURRENCY = Runtime.getRuntime().availableProcessors();
    public static final long DEFAULT_MAX_PIXELS = ImageDecoder.DEFAULT_MAX_PIXELS;
    public static final long DEFAULT_MAX_DOWNLOAD_BYTES = HttpSourceOptions.DEFAULT_MAX_BYTES;
    /** 0: the decode budget is sized from the heap ({@link dev.gearfarm.images.codec.PixelBudget#fromHeap()}). */
    public static final int DEFAULT_DECODE_BUDGET_MEGAPIXELS = 0;
    public static final String DEFAULT_CLIENT_ID = "image-worker";
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = WorkerOptions.DEFAULT_SHUTDOWN_TIMEOUT;
    public static final ImageDecoder.JpegDecoder DEFAULT_JPEG_DECODER = ImageDecoder.JpegDecoder.AUTO;
    /** {@code httpPort} for no metrics and health endpoint. */
    public static final int HTTP_OFF = -1;
    public static final int DEFAULT_HTTP_PORT = HTTP_OFF;
    public static final String DEFAULT_HTTP_LISTEN = "0.0.0.0";

    public ImageWorkerOptions {
        Objects.requireNonNull(servers, "servers");
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("an image worker needs at least one job server (--server HOST:PORT)");
        }
        servers = List.copyOf(servers);
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        allowRoots = absolute(allowRoots, "allow root");
        outputRoots = absolute(outputRoots, "output root");
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max pixels must be at least 1, got " + maxPixels);
        }
        if (maxDownloadBytes < 1) {
            throw new IllegalArgumentException("max download bytes must be at least 1, got " + maxDownloadBytes);
        }
        http = (http == null ? HttpSourceOptions.defaults() : http).toBuilder().maxBytes(maxDownloadBytes).build();
        if (decodeBudgetMegapixels < 0) {
            throw new IllegalArgumentException("decode budget must be >= 0 MP (0: from the heap), got "
                    + decodeBudgetMegapixels);
        }
        clientId = clientId == null ? "" : clientId;
        shutdownTimeout = shutdownTimeout == null ? DEFAULT_SHUTDOWN_TIMEOUT : shutdownTimeout;
        if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
            throw new IllegalArgumentException("shutdown timeout must be positive, got " + shutdownTimeout);
        }
        if (httpPort < HTTP_OFF || httpPort > 65535) {
            throw new IllegalArgumentException("http port must be 1..65535 (0: any free port, " + HTTP_OFF
                    + ": off), got " + httpPort);
        }
        httpListen = httpListen == null || httpListen.isBlank() ? DEFAULT_HTTP_LISTEN : httpListen.strip();
    }

    /** Whether {@code /metrics} and {@code /health} are served. */
    public boolean serveHttp() {
        return httpPort != HTTP_OFF;
    }

    /** These options with the S3 secret key left out, so they can be logged. */
    @Override
    public String toString() {
        return "ImageWorkerOptions[servers=" + servers + ", concurrency=" + concurrency + ", allowRoots=" + allowRoots
                + ", outputRoots=" + outputRoots + ", maxPixels=" + maxPixels + ", maxDownloadBytes=" + maxDownloadBytes
                + ", s3=" + (s3 == null ? "off" : s3.endpoint() + " region " + s3.region()
                        + (s3.hasStaticCredentials() ? " with static credentials" : ""))
                + ", decodeBudgetMegapixels=" + decodeBudgetMegapixels + ", clientId=" + clientId
                + ", shutdownTimeout=" + shutdownTimeout + ", jpegDecoder=" + jpegDecoder + ", httpPort=" + httpPort
                + ", httpListen=" + httpListen + "]";
    }

    private static List<Path> absolute(List<Path> roots, String what) {
        List<Path> out = new ArrayList<>();
        for (Path root : roots == null ? List.<Path>of() : roots) {
            out.add(Objects.requireNonNull(root, what).toAbsolutePath().normalize());
        }
        return List.copyOf(out);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change a few. */
    public Builder toBuilder() {
        return new Builder().servers(servers).concurrency(concurrency).allowRoots(allowRoots).outputRoots(outputRoots)
                .maxPixels(maxPixels).maxDownloadBytes(maxDownloadBytes).http(http).s3(s3)
                .decodeBudgetMegapixels(decodeBudgetMegapixels).clientId(clientId).shutdownTimeout(shutdownTimeout)
                .jpegDecoder(jpegDecoder).httpPort(httpPort).httpListen(httpListen);
    }

    /** Builds options; unset values take the {@code DEFAULT_*} constants, and {@code build()} validates. */
    public static final class Builder {
        private List<String> servers = List.of();
        private int concurrency = DEFAULT_CONCURRENCY;
        private List<Path> allowRoots = List.of();
        private List<Path> outputRoots = List.of();
        private long maxPixels = DEFAULT_MAX_PIXELS;
        private long maxDownloadBytes = DEFAULT_MAX_DOWNLOAD_BYTES;
        private HttpSourceOptions http = HttpSourceOptions.defaults();
        private S3Settings s3;
        private int decodeBudgetMegapixels = DEFAULT_DECODE_BUDGET_MEGAPIXELS;
        private String clientId = DEFAULT_CLIENT_ID;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private ImageDecoder.JpegDecoder jpegDecoder = DEFAULT_JPEG_DECODER;
        private int httpPort = DEFAULT_HTTP_PORT;
        private String httpListen = DEFAULT_HTTP_LISTEN;

        private Builder() {}

        public Builder servers(String... servers) {
            return servers(List.of(servers));
        }

        public Builder servers(List<String> servers) {
            this.servers = servers;
            return this;
        }

        public Builder concurrency(int concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        public Builder allowRoots(List<Path> allowRoots) {
            this.allowRoots = allowRoots;
            return this;
        }

        public Builder outputRoots(List<Path> outputRoots) {
            this.outputRoots = outputRoots;
            return this;
        }

        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        public Builder maxDownloadBytes(long maxDownloadBytes) {
            this.maxDownloadBytes = maxDownloadBytes;
            return this;
        }

        public Builder http(HttpSourceOptions http) {
            this.http = http;
            return this;
        }

        /** S3 settings, or null to serve no {@code s3://} references. */
        public Builder s3(S3Settings s3) {
            this.s3 = s3;
            return this;
        }

        public Builder decodeBudgetMegapixels(int decodeBudgetMegapixels) {
            this.decodeBudgetMegapixels = decodeBudgetMegapixels;
            return this;
        }

        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        public Builder jpegDecoder(ImageDecoder.JpegDecoder jpegDecoder) {
            this.jpegDecoder = Objects.requireNonNull(jpegDecoder, "jpegDecoder");
            return this;
        }

        /** The port of {@code /metrics} and {@code /health}: {@link #HTTP_OFF} (default) for none, 0 for any free one. */
        public Builder httpPort(int httpPort) {
            this.httpPort = httpPort;
            return this;
        }

        /** The address the metrics port is bound to (default {@value #DEFAULT_HTTP_LISTEN}: every interface). */
        public Builder httpListen(String httpListen) {
            this.httpListen = httpListen;
            return this;
        }

        public ImageWorkerOptions build() {
            return new ImageWorkerOptions(servers, concurrency, allowRoots, outputRoots, maxPixels, maxDownloadBytes,
                    http, s3, decodeBudgetMegapixels, clientId, shutdownTimeout, jpegDecoder, httpPort, httpListen);
        }
    }
}
