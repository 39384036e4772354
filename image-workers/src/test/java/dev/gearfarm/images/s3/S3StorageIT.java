package dev.gearfarm.images.s3;

import static dev.gearfarm.images.source.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.sink.S3Sink;
import dev.gearfarm.images.sink.Sinks;
import dev.gearfarm.images.source.S3Source;
import dev.gearfarm.images.source.Sources;
import dev.gearfarm.images.testsupport.S3ProxyServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** S3Storage, S3Source and S3Sink against a real s3proxy process that checks signatures. */
class S3StorageIT {
    private static final String BUCKET = "images";

    @TempDir
    static Path data;

    private static S3ProxyServer s3;
    private static S3Storage storage;

    @BeforeAll
    static void startServer() throws Exception {
        s3 = S3ProxyServer.start(data);
        s3.createBucket(BUCKET);
        storage = new S3Storage(s3.settings());
    }

    @AfterAll
    static void stopServer() {
        if (storage != null) {
            storage.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void putThenGetReturnsTheSameBytesAndStoresTheContentType() {
        byte[] bytes = randomBytes(300_000, 1);
        storage.put(BUCKET, "photos/a.jpg", bytes, "image/jpeg");

        assertThat(storage.get(BUCKET, "photos/a.jpg", bytes.length)).isEqualTo(bytes);
        try (S3Client client = s3.client()) {
            HeadObjectResponse head = client.headObject(b -> b.bucket(BUCKET).key("photos/a.jpg"));
            assertThat(head.contentType()).isEqualTo("image/jpeg");
            assertThat(head.contentLength()).isEqualTo(bytes.length);
        }
    }

    @Test
    void keysWithSpacesUnicodeAndSlashesRoundTrip() {
        String key = "deep/er folder/ünïcødé name (1).png";
        byte[] bytes = "png bytes".getBytes(StandardCharsets.UTF_8);
        storage.put(BUCKET, key, bytes, "image/png");

        assertThat(storage.exists(BUCKET, key)).isTrue();
        assertThat(storage.get(BUCKET, key, 1024)).isEqualTo(bytes);
        assertThat(storage.list(BUCKET, "deep/")).contains(key);
    }

    @Test
    void existsAnswersByHeadForPresentAndMissingKeys() {
        storage.put(BUCKET, "exists/here.jpg", new byte[] {1, 2, 3}, "image/jpeg");

        assertThat(storage.exists(BUCKET, "exists/here.jpg")).isTrue();
        assertThat(storage.exists(BUCKET, "exists/not-here.jpg")).isFalse();
        assertThat(storage.exists("no-such-bucket-x", "exists/here.jpg")).isFalse();
    }

    @Test
    void listFollowsContinuationTokensAcrossPages() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String key = "paged/k" + i + ".jpg";
            storage.put(BUCKET, key, new byte[] {(byte) i}, "image/jpeg");
            expected.add(key);
        }
        storage.put(BUCKET, "paged-not/other.jpg", new byte[] {9}, "image/jpeg");

        assertThat(storage.list(BUCKET, "paged/", 2)).containsExactlyElementsOf(expected);
        assertThat(storage.list(BUCKET, "paged/")).containsExactlyElementsOf(expected);
        assertThat(storage.list(BUCKET, "")).contains("paged/k0.jpg", "paged-not/other.jpg");
    }

    @Test
    void missingKeyIsNotFoundNamingTheObjectAndEndpoint() {
        assertRefused(() -> storage.get(BUCKET, "nope/missing.jpg", 1024), Reason.NOT_FOUND)
                .hasMessageContaining("s3://images/nope/missing.jpg")
                .hasMessageContaining(s3.endpoint().toString())
                .hasMessageContaining("NoSuchKey");
    }

    @Test
    void missingBucketIsNotFoundNamingTheBucket() {
        assertRefused(() -> storage.get("no-such-bucket", "a.jpg", 1024), Reason.NOT_FOUND)
                .hasMessageContaining("bucket \"no-such-bucket\" does not exist")
                .hasMessageContaining("s3://no-such-bucket/a.jpg");
        assertRefused(() -> storage.put("no-such-bucket", "a.jpg", new byte[] {1}, "image/jpeg"), Reason.NOT_FOUND)
                .hasMessageContaining("bucket \"no-such-bucket\" does not exist");
    }

    @Test
    void wrongCredentialsAreAccessDeniedWithTheFlagsToFix() {
        storage.put(BUCKET, "secret.jpg", new byte[] {1}, "image/jpeg");
        S3Settings wrong = s3.settings().toBuilder().credentials(s3.accessKey(), "not-the-secret").build();
        S3Settings unknown = s3.settings().toBuilder().credentials("who-is-this", s3.secretKey()).build();
        try (S3Storage badSecret = new S3Storage(wrong); S3Storage badKey = new S3Storage(unknown)) {
            assertRefused(() -> badSecret.get(BUCKET, "secret.jpg", 1024), Reason.ACCESS_DENIED)
                    .hasMessageContaining("s3://images/secret.jpg")
                    .hasMessageContaining("SignatureDoesNotMatch")
                    .hasMessageContaining("--s3-secret-key");
            assertRefused(() -> badKey.put(BUCKET, "x.jpg", new byte[] {1}, "image/jpeg"), Reason.ACCESS_DENIED)
                    .hasMessageContaining("InvalidAccessKeyId");
            assertRefused(() -> badKey.exists(BUCKET, "secret.jpg"), Reason.ACCESS_DENIED);
        }
    }

    @Test
    void objectOverTheByteCapIsRefused() {
        storage.put(BUCKET, "big.jpg", randomBytes(10_000, 2), "image/jpeg");

        assertRefused(() -> storage.get(BUCKET, "big.jpg", 9_999), Reason.TOO_LARGE)
                .hasMessageContaining("s3://images/big.jpg at " + s3.endpoint() + " is 10000 bytes, over the 9999-byte limit")
                .hasMessageContaining("--max-download-bytes");
        assertThat(storage.get(BUCKET, "big.jpg", 10_000)).hasSize(10_000);
    }

    @Test
    void unreachableEndpointIsUnreachableNamingIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        try (S3Storage offline = new S3Storage(s3.settings().toBuilder().endpoint(nowhere).build())) {
            assertRefused(() -> offline.get(BUCKET, "a.jpg", 1024), Reason.UNREACHABLE)
                    .hasMessageContaining("s3://images/a.jpg")
                    .hasMessageContaining(nowhere + " is unreachable")
                    .hasMessageContaining("--s3-endpoint");
        }
    }

    @Test
    void sinkThenSourceThroughTheRoutersRoundTrip() {
        byte[] bytes = randomBytes(5_000, 3);
        Sinks sinks = new Sinks(List.of(new S3Sink(storage)));
        Sources sources = new Sources(List.of(new S3Source(storage, 1_000_000)));

        String where = sinks.store("s3://images/out/thumb.webp", bytes, "image/webp");

        assertThat(where).isEqualTo("s3://images/out/thumb.webp");
        assertThat(sources.fetch(where)).isEqualTo(bytes);
        assertRefused(() -> sources.fetch("s3://images/out/none.webp"), Reason.NOT_FOUND);
        assertRefused(() -> sources.fetch("s3://images"), Reason.BAD_SPEC)
                .hasMessageContaining("use s3://bucket/key");
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
