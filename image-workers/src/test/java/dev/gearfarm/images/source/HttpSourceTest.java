package dev.gearfarm.images.source;

import static dev.gearfarm.images.source.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.images.ImageJobException.Reason;
import dev.gearfarm.images.testsupport.HttpTestServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HttpSource against a real local HTTP(S) server on loopback, which the tests allow-list explicitly. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpSourceTest {
    private static final byte[] IMAGE = randomBytes(200_000);
    private static final HttpSourceOptions LOOPBACK_ALLOWED =
            HttpSourceOptions.builder().allowedHosts(List.of("127.0.0.1")).build();

    private HttpTestServer server;
    private HttpSource source;

    @BeforeEach
    void start() throws Exception {
        server = HttpTestServer.http().bytes("/image.jpg", IMAGE);
        source = new HttpSource(LOOPBACK_ALLOWED);
    }

    @AfterEach
    void stop() {
        source.close();
        server.close();
    }

    @Test
    void fetchesTheBodyFromAnAllowListedAddress() {
        assertThat(source.fetch(server.url("127.0.0.1", "/image.jpg"))).isEqualTo(IMAGE);
    }

    @Test
    void refusesLoopbackByDefaultNamingTheAddressAndTheFlag() {
        try (HttpSource defaults = new HttpSource(HttpSourceOptions.defaults())) {
            String url = server.url("127.0.0.1", "/image.jpg");
            assertRefused(() -> defaults.fetch(url), Reason.FORBIDDEN)
                    .hasMessageContaining(url)
                    .hasMessageContaining("127.0.0.1 is a loopback address")
                    .hasMessageContaining("--allow-private-host 127.0.0.1");
        }
        assertThat(server.hostHeaders()).as("nothing was sent to the refused address").isEmpty();
    }

    @Test
    void refusesIpv6LoopbackAndMappedIpv4Literals() {
        try (HttpSource defaults = new HttpSource(HttpSourceOptions.defaults())) {
            assertRefused(() -> defaults.fetch("http://[::1]:" + server.port() + "/image.jpg"), Reason.FORBIDDEN)
                    .hasMessageContaining("loopback");
            assertRefused(() -> defaults.fetch("http://[::ffff:169.254.169.254]/latest/"), Reason.FORBIDDEN)
                    .hasMessageContaining("169.254.169.254 is a link-local (cloud metadata) address");
        }
    }

    @Test
    void refusesAHostNameThatResolvesToLoopbackUnlessThatNameIsAllowed() {
        String url = server.url("localhost", "/image.jpg");
        try (HttpSource defaults = new HttpSource(HttpSourceOptions.defaults());
                HttpSource byName = new HttpSource(HttpSourceOptions.builder()
                        .allowedHosts(List.of("LOCALHOST")).build())) {
            assertRefused(() -> defaults.fetch(url), Reason.FORBIDDEN)
                    .hasMessageContaining("localhost resolves to")
                    .hasMessageContaining("loopback");
            assertThat(byName.fetch(url)).isEqualTo(IMAGE);
        }
        assertThat(server.hostHeaders()).containsExactly("localhost:" + server.port());
    }

    @Test
    void connectsToTheAddressItCheckedWhenTheDnsAnswerChangesAfterwards() {
        // A rebinding DNS server: a harmless answer for the check, the metadata address after it.
        AtomicInteger lookups = new AtomicInteger();
        HttpSource.Resolver rebinding = host -> new InetAddress[] {InetAddress.getByName(
                lookups.getAndIncrement() == 0 ? "127.0.0.1" : "169.254.169.254")};
        try (HttpSource pinned = new HttpSource(LOOPBACK_ALLOWED, null, rebinding)) {
            assertThat(pinned.fetch(server.url("images.example", "/image.jpg"))).isEqualTo(IMAGE);
        }
        assertThat(lookups).hasValue(1);
        assertThat(server.hostHeaders()).containsExactly("images.example:" + server.port());
    }

    @Test
    void allowPrivateAddressesTurnsThePolicyOff() {
        try (HttpSource open = new HttpSource(HttpSourceOptions.builder().allowPrivateAddresses(true).build())) {
            assertThat(open.fetch(server.url("127.0.0.1", "/image.jpg"))).isEqualTo(IMAGE);
        }
    }

    @Test
    void followsARedirectChainWithinTheCap() {
        server.redirect("/r3", "/r2").redirect("/r2", "r1").redirect("/r1", server.url("127.0.0.1", "/image.jpg"));

        try (HttpSource three = new HttpSource(LOOPBACK_ALLOWED.toBuilder().maxRedirects(3).build());
                HttpSource two = new HttpSource(LOOPBACK_ALLOWED.toBuilder().maxRedirects(2).build())) {
            assertThat(three.fetch(server.url("127.0.0.1", "/r3"))).isEqualTo(IMAGE);
            assertRefused(() -> two.fetch(server.url("127.0.0.1", "/r3")), Reason.TOO_LARGE)
                    .hasMessageContaining("redirects more than 2 times")
                    .hasMessageContaining("--max-redirects");
        }
    }

    @Test
    void redirectLoopStopsAtTheCap() {
        server.redirect("/loop", "/loop");

        assertRefused(() -> source.fetch(server.url("127.0.0.1", "/loop")), Reason.TOO_LARGE)
                .hasMessageContaining("redirects more than " + HttpSourceOptions.DEFAULT_MAX_REDIRECTS + " times");
    }

    @Test
    void redirectToTheCloudMetadataAddressIsRefused() {
        server.redirect("/evil", "http://169.254.169.254/latest/meta-data/iam/");

        String url = server.url("127.0.0.1", "/evil");
        assertRefused(() -> source.fetch(url), Reason.FORBIDDEN)
                .hasMessageContaining("http://169.254.169.254/latest/meta-data/iam/")
                .hasMessageContaining("redirected from " + url)
                .hasMessageContaining("link-local");
    }

    @Test
    void redirectToAnotherSchemeIsRefused() {
        server.redirect("/file", "file:///etc/passwd");

        assertRefused(() -> source.fetch(server.url("127.0.0.1", "/file")), Reason.FORBIDDEN)
                .hasMessageContaining("file:///etc/passwd")
                .hasMessageContaining("only http:// and https://");
    }

    @Test
    void statusCodesMapToReasonsNamingStatusAndUrl() {
        server.status("/gone", 410).status("/missing", 404).status("/broken", 500).status("/secret", 403)
                .status("/busy", 503);

        assertRefused(() -> source.fetch(server.url("127.0.0.1", "/missing")), Reason.NOT_FOUND)
                .hasMessageContaining(server.url("127.0.0.1", "/missing") + " answered HTTP 404");
        assertRefused(() -> source.fetch(server.url("127.0.0.1", "/gone")), Reason.NOT_FOUND)
                .hasMessageContaining("HTTP 410");
        assertRefused(() -> source.fetch(server.url("127.0.0.1", "/broken")), Reason.UNREACHABLE)
                .hasMessageContaining(server.url("127.0.0.1", "/broken") + " answered HTTP 500");
        assertRefused(() -> source.fetch(server.url("127.0.0.1", "/busy")), Reason.UNREACHABLE)
                .hasMessageContaining("HTTP 503");
        assertRefused(() -> source.fetch(server.url("127.0.0.1", "/secret")), Reason.FORBIDDEN)
                .hasMessageContaining("HTTP 403");
    }

    @Test
    void bodyOverTheCapIsRefusedFromContentLengthBeforeReading() {
        server.endless("/huge", 10L * 1024 * 1024 * 1024);
        try (HttpSource small = new HttpSource(LOOPBACK_ALLOWED.toBuilder().maxBytes(1_000_000).build())) {
            assertRefused(() -> small.fetch(server.url("127.0.0.1", "/huge")), Reason.TOO_LARGE)
                    .hasMessageContaining("is 10737418240 bytes (Content-Length), over the 1000000-byte limit")
                    .hasMessageContaining("--max-download-bytes");
        }
    }

    @Test
    void bodyWithoutContentLengthStopsAtTheCap() {
        server.endlessChunked("/stream");
        try (HttpSource small = new HttpSource(LOOPBACK_ALLOWED.toBuilder().maxBytes(1_000_000).build())) {
            assertRefused(() -> small.fetch(server.url("127.0.0.1", "/stream")), Reason.TOO_LARGE)
                    .hasMessageContaining("more than 1000000 bytes");
        }
    }

    @Test
    void bodyExactlyAtTheCapIsAccepted() {
        try (HttpSource exact = new HttpSource(LOOPBACK_ALLOWED.toBuilder().maxBytes(IMAGE.length).build())) {
            assertThat(exact.fetch(server.url("127.0.0.1", "/image.jpg"))).isEqualTo(IMAGE);
        }
    }

    @Test
    void slowBodyHitsTheWholeDownloadDeadlineThoughEachReadIsQuick() {
        server.dribble("/slow", 50);
        try (HttpSource quick = new HttpSource(LOOPBACK_ALLOWED.toBuilder()
                .readTimeout(Duration.ofMillis(1500)).build())) {
            long start = System.nanoTime();
            assertRefused(() -> quick.fetch(server.url("127.0.0.1", "/slow")), Reason.UNREACHABLE)
                    .hasMessageContaining("took longer than 1500 ms")
                    .hasMessageContaining("--http-timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void serverThatNeverAnswersHitsTheDeadline() {
        server.silent("/silent", 30_000);
        try (HttpSource quick = new HttpSource(LOOPBACK_ALLOWED.toBuilder()
                .readTimeout(Duration.ofSeconds(1)).build())) {
            assertRefused(() -> quick.fetch(server.url("127.0.0.1", "/silent")), Reason.UNREACHABLE)
                    .hasMessageContaining("took longer than 1 s");
        }
    }

    @Test
    void refusedConnectionIsUnreachableNamingTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/image.jpg";

        assertRefused(() -> source.fetch(url), Reason.UNREACHABLE)
                .hasMessageContaining("cannot fetch " + url)
                .hasMessageContaining("Connect");
    }

    @Test
    void unresolvableHostIsUnreachableNamingTheHost() {
        assertRefused(() -> source.fetch("http://no-such-host.invalid/a.jpg"), Reason.UNREACHABLE)
                .hasMessageContaining("http://no-such-host.invalid/a.jpg")
                .hasMessageContaining("\"no-such-host.invalid\" does not resolve");
    }

    @Test
    void malformedUrlsAreBadSpec() {
        assertRefused(() -> source.fetch("http://exa mple.com/a.jpg"), Reason.BAD_SPEC)
                .hasMessageContaining("is not a valid URL");
        assertRefused(() -> source.fetch("http:///a.jpg"), Reason.BAD_SPEC)
                .hasMessageContaining("no host name");
        assertRefused(() -> source.fetch("http://my_host/a.jpg"), Reason.BAD_SPEC)
                .hasMessageContaining("\"my_host\" is not a valid host name");
        assertRefused(() -> source.fetch("http://user:pw@example.com/a.jpg"), Reason.BAD_SPEC)
                .hasMessageContaining("user:password@");
    }

    @Test
    void handlesOnlyHttpAndHttpsReferences() {
        assertThat(source.handles("HTTPS://example.com/a.jpg")).isTrue();
        assertThat(source.handles("http://example.com/a.jpg")).isTrue();
        assertThat(source.handles("ftp://example.com/a.jpg")).isFalse();
        assertThat(source.handles("/srv/a.jpg")).isFalse();
        assertThat(source.handles("s3://b/k")).isFalse();
    }

    @Test
    void httpsUsesTheHostNameForTlsWhileConnectingToTheCheckedAddress(@TempDir Path dir) throws Exception {
        Tls tls = Tls.selfSigned(dir);
        try (HttpTestServer https = HttpTestServer.https(tls.server()).bytes("/image.jpg", IMAGE)
                .redirect("/down", server.url("localhost", "/image.jpg"));
                HttpSource client = new HttpSource(HttpSourceOptions.builder()
                        .allowedHosts(List.of("localhost")).build(), tls.client(), InetAddress::getAllByName)) {
            // The certificate names localhost only; the connection goes to the checked 127.0.0.1.
            assertThat(client.fetch(https.url("localhost", "/image.jpg"))).isEqualTo(IMAGE);
            assertThat(https.hostHeaders()).containsExactly("localhost:" + https.port());

            assertRefused(() -> client.fetch(https.url("localhost", "/down")), Reason.FORBIDDEN)
                    .hasMessageContaining("from https to plain http");
            assertThat(server.hostHeaders()).as("the downgraded hop was not requested").isEmpty();
        }
    }

    @Test
    void badAllowListEntryFailsAtStartNamingTheEntry() {
        assertThatThrownBy(() -> HttpSourceOptions.builder().allowedHosts(List.of("10.0.0.0/33")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"10.0.0.0/33\"")
                .hasMessageContaining("--allow-private-host");
    }


    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    /** A self-signed certificate for localhost made by the JDK's keytool, and contexts that use it. */
    private record Tls(SSLContext server, SSLContext client) {
        static Tls selfSigned(Path dir) throws Exception {
            Path store = dir.resolve("localhost.p12");
            char[] password = "changeit".toCharArray();
            Process keytool = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            assertThat(keytool.waitFor()).as("keytool: %s", output).isZero();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(keys);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return new Tls(server, client);
        }
    }
}
