package dev.gearfarm.images.testsupport;

import dev.gearfarm.images.s3.S3Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: s3proxy 4.1.0 ({@code jar-with-dependencies}) run as its own process
 * with the filesystem back end in a temp folder, SigV2/V4 checked against known credentials, on a free
 * loopback port.
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.start(tempDir)) {
 *     s3.createBucket("images");
 *     S3Storage storage = new S3Storage(s3.settings());
 * }
 * }</pre>
 *
 * <p>The jar is found, in order, at the system property {@code s3proxy.jar} (image-workers' failsafe
 * sets it to the copy the build puts in {@code target/s3proxy/}), in {@code target/s3proxy/}, or in the
 * local Maven repository. When it is missing the test is skipped, or fails when
 * {@code -Dgearman.peers.required=true} (CI).
 */
public final class S3ProxyServer implements AutoCloseable {
    /** Must match the root pom's {@code s3proxy.version}. */
    public static final String VERSION = "4.1.0";
    public static final String ACCESS_KEY = "gearfarm-test-access";
    public static final String SECRET_KEY = "gearfarm-test-secret-key";
    public static final String REGION = "us-east-1";

    private static final String JAR_NAME = "s3proxy-" + VERSION + "-jar-with-dependencies.jar";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final URI endpoint;
    private final Path logFile;
    private final Path storeDir;

    private S3ProxyServer(Process process, URI endpoint, Path logFile, Path storeDir) {
        this.process = process;
        this.endpoint = endpoint;
        this.logFile = logFile;
        this.storeDir = storeDir;
    }

    /**
     * Starts s3proxy with its data under {@code dataDir} (created if needed) and waits until it accepts
     * connections.
     */
    public static S3ProxyServer start(Path dataDir) throws IOException, InterruptedException {
        Path jar = findJar();
        Files.createDirectories(dataDir);
        Path store = Files.createDirectories(dataDir.resolve("store"));
        String lastLog = "";
        // A free port found by binding port 0 may be taken again before s3proxy binds it: retry then.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int port = freePort();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            Path conf = dataDir.resolve("s3proxy.conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=" + endpoint,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + store,
                    ""), StandardCharsets.UTF_8);
            Path log = dataDir.resolve("s3proxy.log");
            Process process = new ProcessBuilder(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toString(), "--properties", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (awaitListening(process, port)) {
                return new S3ProxyServer(process, endpoint, log, store);
            }
            stop(process);
            lastLog = tail(log);
        }
        throw new IOException("s3proxy did not start in " + START_ATTEMPTS + " attempts; its log ends with:\n" + lastLog);
    }

    /** The base URL, {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /** Settings that reach this server with its credentials and path-style addressing. */
    public S3Settings settings() {
        return S3Settings.builder().endpoint(endpoint).region(REGION).credentials(ACCESS_KEY, SECRET_KEY).build();
    }

    /** Where the filesystem back end keeps buckets (one folder each). */
    public Path storeDir() {
        return storeDir;
    }

    /** s3proxy's own output, for a failing test to show. */
    public Path logFile() {
        return logFile;
    }

    /** Creates a bucket through the S3 API, as a client would. */
    public void createBucket(String name) {
        try (S3Client client = client()) {
            client.createBucket(b -> b.bucket(name));
        }
    }

    /** A plain SDK client on this server, for tests that check what landed in the store. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitListening(Process process, int port) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    private static Path findJar() {
        String property = System.getProperty("s3proxy.jar");
        String repo = System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        List<Path> candidates = new ArrayList<>();
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        }
        candidates.add(Path.of("target", "s3proxy", JAR_NAME));
        candidates.add(Path.of(repo, "org", "gaul", "s3proxy", VERSION, JAR_NAME));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        String message = "s3proxy " + VERSION + " is not available (looked at " + candidates + "); run `mvn -pl"
                + " image-workers verify`, which copies it, or `mvn dependency:copy"
                + " -Dartifact=org.gaul:s3proxy:" + VERSION + ":jar:jar-with-dependencies`";
        Tools.requireThat(false, message);
        throw new AssertionError("requireThat(false) always throws");
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
