package dev.gearfarm.images.worker;

import dev.gearfarm.images.codec.ImageDecoder;
import dev.gearfarm.images.s3.S3Settings;
import dev.gearfarm.images.source.HttpSourceOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** The {@code image-worker} command: serves the {@code thumbnail} Gearman function until SIGTERM. */
@Command(name = "image-worker", sortOptions = false, usageHelpAutoWidth = true, mixinStandardHelpOptions = true,
        version = "image-worker 0.1",
        description = {
            "Gearman worker for the 'thumbnail' function: fetches an image (inline, http(s)://, a file under",
            "--allow-root, s3://bucket/key), decodes it once, and writes every output the job asks for (a file",
            "under --output-root, s3://bucket/key, or inline in the result). One log line per job on stderr.", ""},
        footer = {"", "Every flag has an environment variable, shown as ${env:NAME}; lists there are comma-separated.",
            "S3 also reads the standard AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID and",
            "AWS_SECRET_ACCESS_KEY; flags win over them. S3 is on when an endpoint or credentials are set.",
            "SIGTERM/SIGINT: stop taking jobs, let the running ones finish (--shutdown-timeout), then exit."})
public final class ImageWorkerMain implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "HOST:PORT", split = ",", defaultValue = "${env:IMAGE_WORKER_SERVERS}",
            description = "Job server to serve; repeatable, each one is connected (env IMAGE_WORKER_SERVERS).")
    List<String> servers = new ArrayList<>();

    @Option(names = "--concurrency", paramLabel = "N",
            defaultValue = "${env:IMAGE_WORKER_CONCURRENCY:-" + "0}",
            description = "Jobs at once across all servers (default: number of cores; env IMAGE_WORKER_CONCURRENCY).")
    int concurrency;

    @Option(names = "--allow-root", paramLabel = "DIR", split = ",", defaultValue = "${env:IMAGE_WORKER_ALLOW_ROOTS}",
            description = "Folder file sources may be read from; repeatable. None: file sources are off"
                    + " (env IMAGE_WORKER_ALLOW_ROOTS).")
    List<Path> allowRoots = new ArrayList<>();

    @Option(names = "--output-root", paramLabel = "DIR", split = ",", defaultValue = "${env:IMAGE_WORKER_OUTPUT_ROOTS}",
            description = "Folder outputs may be written to; repeatable. None: file destinations are off"
                    + " (env IMAGE_WORKER_OUTPUT_ROOTS).")
    List<Path> outputRoots = new ArrayList<>();

    @Option(names = "--allow-private-host", paramLabel = "HOST|CIDR", split = ",",
            defaultValue = "${env:IMAGE_WORKER_ALLOW_PRIVATE_HOSTS}",
            description = "Host name or address block that http(s) sources may reach although it is loopback,"
                    + " link-local or private (refused by default); repeatable (env IMAGE_WORKER_ALLOW_PRIVATE_HOSTS).")
    List<String> allowPrivateHosts = new ArrayList<>();

    @Option(names = "--max-download-bytes", paramLabel = "BYTES",
            defaultValue = "${env:IMAGE_WORKER_MAX_DOWNLOAD_BYTES:-" + ImageWorkerOptions.DEFAULT_MAX_DOWNLOAD_BYTES + "}",
            description = "Largest encoded source from any source, inline included (default ${DEFAULT-VALUE};"
                    + " env IMAGE_WORKER_MAX_DOWNLOAD_BYTES).")
    long maxDownloadBytes;

    @Option(names = "--http-timeout", paramLabel = "SECONDS", defaultValue = "${env:IMAGE_WORKER_HTTP_TIMEOUT:-30}",
            description = "Deadline for a whole HTTP download, redirects included (default ${DEFAULT-VALUE};"
                    + " env IMAGE_WORKER_HTTP_TIMEOUT).")
    long httpTimeoutSeconds;

    @Option(names = "--max-redirects", paramLabel = "N",
            defaultValue = "${env:IMAGE_WORKER_MAX_REDIRECTS:-" + HttpSourceOptions.DEFAULT_MAX_REDIRECTS + "}",
            description = "Redirects followed before an HTTP source is refused (default ${DEFAULT-VALUE};"
                    + " env IMAGE_WORKER_MAX_REDIRECTS).")
    int maxRedirects;

    @Option(names = "--max-pixels", paramLabel = "PIXELS",
            defaultValue = "${env:IMAGE_WORKER_MAX_PIXELS:-" + ImageWorkerOptions.DEFAULT_MAX_PIXELS + "}",
            description = "Largest source image in pixels, checked from its header before decoding"
                    + " (default ${DEFAULT-VALUE}; env IMAGE_WORKER_MAX_PIXELS).")
    long maxPixels;

    @Option(names = "--decode-budget-mp", paramLabel = "MP", defaultValue = "${env:IMAGE_WORKER_DECODE_BUDGET_MP:-0}",
            description = "Megapixels decoded at once across all jobs; more wait (default 0: sized from the heap;"
                    + " env IMAGE_WORKER_DECODE_BUDGET_MP).")
    int decodeBudgetMegapixels;

    @Option(names = "--client-id", paramLabel = "ID", defaultValue = "${env:IMAGE_WORKER_CLIENT_ID:-image-worker}",
            description = "Name shown by 'gearadmin --workers' (default ${DEFAULT-VALUE}; env IMAGE_WORKER_CLIENT_ID).")
    String clientId;

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS",
            defaultValue = "${env:IMAGE_WORKER_SHUTDOWN_TIMEOUT:-60}",
            description = "On SIGTERM, how long running jobs may take to finish before they are interrupted"
                    + " (default ${DEFAULT-VALUE}; env IMAGE_WORKER_SHUTDOWN_TIMEOUT).")
    long shutdownTimeoutSeconds;

    @Option(names = "--turbojpeg", paramLabel = "auto|true|false", arity = "1",
            defaultValue = "${env:IMAGE_WORKER_TURBOJPEG:-auto}",
            description = "Decode JPEGs with libjpeg-turbo's Java binding, scaling while decoding (Debian's"
                    + " libturbojpeg-java and libturbojpeg0-dev): auto uses it when installed, else ImageIO"
                    + " (default ${DEFAULT-VALUE}; env IMAGE_WORKER_TURBOJPEG).")
    String turboJpeg;

    @Option(names = "--s3-endpoint", paramLabel = "URL", defaultValue = "${env:IMAGE_WORKER_S3_ENDPOINT}",
            description = "S3-compatible endpoint with scheme, e.g. http://minio:9000 (env IMAGE_WORKER_S3_ENDPOINT).")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", defaultValue = "${env:IMAGE_WORKER_S3_REGION}",
            description = "Signing region (default " + S3Settings.DEFAULT_REGION + "; env IMAGE_WORKER_S3_REGION).")
    String s3Region;

    @Option(names = "--s3-access-key", paramLabel = "KEY", defaultValue = "${env:IMAGE_WORKER_S3_ACCESS_KEY}",
            description = "Access key (env IMAGE_WORKER_S3_ACCESS_KEY).")
    String s3AccessKey;

    @Option(names = "--s3-secret-key", paramLabel = "SECRET", defaultValue = "${env:IMAGE_WORKER_S3_SECRET_KEY}",
            description = "Secret key (env IMAGE_WORKER_S3_SECRET_KEY).")
    String s3SecretKey;

    @Option(names = "--s3-path-style", paramLabel = "true|false",
            defaultValue = "${env:IMAGE_WORKER_S3_PATH_STYLE:-" + S3Settings.DEFAULT_PATH_STYLE + "}", arity = "1",
            description = "Path-style URLs, which MinIO and s3proxy need (default ${DEFAULT-VALUE};"
                    + " env IMAGE_WORKER_S3_PATH_STYLE).")
    boolean s3PathStyle;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:IMAGE_WORKER_HTTP_PORT:-0}",
            description = "Serve Prometheus metrics on /metrics and a health check on /health (200 when connected"
                    + " to a job server, else 503) on this port; 0: off (default ${DEFAULT-VALUE};"
                    + " env IMAGE_WORKER_HTTP_PORT).")
    int httpPort;

    @Option(names = "--http-listen", paramLabel = "ADDRESS",
            defaultValue = "${env:IMAGE_WORKER_HTTP_LISTEN:-" + ImageWorkerOptions.DEFAULT_HTTP_LISTEN + "}",
            description = "Address the --http-port is bound to (default ${DEFAULT-VALUE}: every interface;"
                    + " env IMAGE_WORKER_HTTP_LISTEN).")
    String httpListen;

    @Option(names = "--log-level", paramLabel = "LEVEL",
            defaultValue = "${env:IMAGE_WORKER_LOG_LEVEL:-" + WorkerLogging.DEFAULT_LEVEL + "}",
            description = "error, warn, info, debug, trace or off, on stderr (default ${DEFAULT-VALUE};"
                    + " env IMAGE_WORKER_LOG_LEVEL). The AWS SDK, Apache HttpClient and Netty stay at warn, so"
                    + " request headers and credentials are never logged.")
    String logLevel;

    private static final Logger LOG = LoggerFactory.getLogger(ImageWorkerMain.class);

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new ImageWorkerMain());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("image-worker: " + e.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }

    /** The options these flags (and the environment) describe; IllegalArgumentException naming a bad one. */
    ImageWorkerOptions options(java.util.Map<String, String> env) {
        HttpSourceOptions http = HttpSourceOptions.defaults().toBuilder()
                .readTimeout(Duration.ofSeconds(httpTimeoutSeconds))
                .maxRedirects(maxRedirects)
                .allowedHosts(allowPrivateHosts)
                .build();
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be 1..65535, or 0 for no metrics endpoint; got "
                    + httpPort);
        }
        return ImageWorkerOptions.builder()
                .servers(servers)
                .concurrency(concurrency == 0 ? ImageWorkerOptions.DEFAULT_CONCURRENCY : concurrency)
                .allowRoots(allowRoots)
                .outputRoots(outputRoots)
                .maxPixels(maxPixels)
                .maxDownloadBytes(maxDownloadBytes)
                .http(http)
                .s3(s3(env))
                .decodeBudgetMegapixels(decodeBudgetMegapixels)
                .clientId(clientId)
                .shutdownTimeout(Duration.ofSeconds(shutdownTimeoutSeconds))
                .jpegDecoder(ImageDecoder.JpegDecoder.parse(turboJpeg))
                .httpPort(httpPort == 0 ? ImageWorkerOptions.HTTP_OFF : httpPort)
                .httpListen(httpListen)
                .build();
    }

    private S3Settings s3(java.util.Map<String, String> env) {
        S3Settings.Builder s3 = S3Settings.fromEnvironment(env).toBuilder();
        if (s3Endpoint != null) {
            s3.endpoint(S3Settings.parseEndpoint(s3Endpoint));
        }
        if (s3Region != null) {
            s3.region(s3Region);
        }
        if (s3AccessKey != null) {
            s3.accessKey(s3AccessKey);
        }
        if (s3SecretKey != null) {
            s3.secretKey(s3SecretKey);
        }
        S3Settings settings = s3.pathStyle(s3PathStyle).build();
        return settings.endpoint() == null && !settings.hasStaticCredentials() ? null : settings;
    }

    @Override
    public Integer call() throws InterruptedException {
        ImageWorkerOptions options;
        try {
            // First of all: nothing may log before the level and the quiet loggers are set.
            WorkerLogging.configure(WorkerLogging.level(logLevel));
            options = options(System.getenv());
        } catch (IllegalArgumentException e) {
            PrintWriter err = new PrintWriter(System.err, true);
            err.println("image-worker: " + e.getMessage());
            return 2;
        }
        ImageWorkerService service;
        try {
            service = ImageWorkerService.start(options);
        } catch (IllegalStateException e) {
            System.err.println("image-worker: " + e.getMessage());
            return 2;
        }
        LOG.info("image-worker serving '{}' on {} ({} connected) with concurrency {}, max {} pixels, decode budget {}"
                        + " MP, allow roots {}, output roots {}, s3 {}, turbojpeg {}, metrics {}", ImageWorkerService.THUMBNAIL,
                options.servers(), service.connectedServers(), options.concurrency(), options.maxPixels(), service.budget().megapixels(),
                options.allowRoots(), options.outputRoots(), options.s3() == null ? "off" : options.s3().endpoint(),
                options.jpegDecoder(), service.httpAddress() == null ? "off" : "http://" + options.httpListen() + ":"
                        + service.httpAddress().getPort() + "/metrics");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("image-worker stopping: finishing {} running job(s)", service.busy());
            service.close();
            LOG.info("image-worker stopped");
            stopped.countDown();
        }, "image-worker-shutdown"));
        stopped.await();
        return 0;
    }
}
