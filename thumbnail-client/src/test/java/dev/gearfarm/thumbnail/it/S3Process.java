package dev.gearfarm.thumbnail.it;

import dev.gearfarm.images.s3.S3Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for the end-to-end tests: the s3proxy 4.1.0 jar (copied by the build to
 * target/s3proxy) as its own process, filesystem back end, signatures checked. The same idea as
 * image-workers' S3ProxyServer, kept small here because that one is not shared through a jar.
 */
final class S3Process implements AutoCloseable {
    static final String ACCESS_KEY = "thumbnail-it-access";
    static final String SECRET_KEY = "thumbnail-it-secret";

    private final Process process;
    final URI endpoint;

    private S3Process(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static S3Process start(Path dir) throws Exception {
        Path jar = Peers.file("s3proxy.jar", "run the tests with mvn verify (the build copies s3proxy there)");
        Path store = Files.createDirectories(dir.resolve("store"));
        int port = Procs.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        Path conf = dir.resolve("s3proxy.conf");
        Files.writeString(conf, String.join("\n", "s3proxy.endpoint=" + endpoint, "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY, "s3proxy.credential=" + SECRET_KEY, "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + store, ""));
        Path log = dir.resolve("s3proxy.log");
        Process process = Procs.start(List.of(Procs.java(), "-Xmx256m", "-jar", jar.toString(), "--properties",
                conf.toString()), Map.of(), log);
        Procs.awaitPort(process, port, log);
        return new S3Process(process, endpoint);
    }

    /** The standard variables our processes read their S3 credentials from. */
    Map<String, String> env() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    S3Settings settings() {
        return S3Settings.builder().endpoint(endpoint).credentials(ACCESS_KEY, SECRET_KEY).build();
    }

    S3Client client() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        Procs.stop(process);
    }
}
