package dev.gearfarm.images.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gearfarm.images.s3.S3Settings;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The worker's HTTP endpoint and options without a job server: {@code /health} is 503 naming the servers
 * when none is reachable, the port is off by default and a taken one is named; options never print the
 * S3 secret. {@code ImageWorkerMetricsIT} runs jobs against a real gearmand.
 */
class ImageWorkerMetricsTest {
    @Test
    void healthIs503NamingTheServersWhenNoneIsReachable() throws Exception {
        int nothing;
        try (ServerSocket socket = new ServerSocket(0)) {
            nothing = socket.getLocalPort();
        }
        try (ImageWorkerService worker = ImageWorkerService.start(ImageWorkerOptions.builder()
                .servers("127.0.0.1:" + nothing).concurrency(1).httpPort(0).httpListen("127.0.0.1").build())) {
            int port = worker.httpAddress().getPort();
            HttpResponse<String> health = Scrape.get(port, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).isEqualTo("unavailable: not connected to any job server (127.0.0.1:" + nothing
                    + ")\n");
            HttpResponse<String> page = Scrape.get(port, "/metrics");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(Scrape.samples(page.body())).containsEntry("image_worker_connected_servers", 0.0);
        }
    }

    @Test
    void withoutAnHttpPortNothingIsServedButTheMetricsAreKept() {
        ImageWorkerOptions options = ImageWorkerOptions.builder().servers("127.0.0.1:1").build();
        assertThat(options.httpPort()).isEqualTo(ImageWorkerOptions.HTTP_OFF);
        assertThat(options.serveHttp()).isFalse();
        assertThat(options.httpListen()).isEqualTo("0.0.0.0");
        try (ImageWorkerService worker = ImageWorkerService.start(options)) {
            assertThat(worker.httpAddress()).isNull();
            assertThat(worker.metrics().scrape()).contains("image_worker_jobs_total{function=\"thumbnail\"");
        }
    }

    @Test
    void aBadPortIsRefusedAndATakenOneNamed() throws Exception {
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> ImageWorkerOptions.builder().servers("127.0.0.1:1").httpPort(70000).build());
        assertThat(range.getMessage()).contains("http port").contains("70000");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException busy = assertThrows(IllegalStateException.class, () -> ImageWorkerService.start(
                    ImageWorkerOptions.builder().servers("127.0.0.1:1").httpListen("127.0.0.1")
                            .httpPort(taken.getLocalPort()).build()));
            assertThat(busy.getMessage()).startsWith("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort())
                    .contains("--http-port");
        }
    }

    @Test
    void optionsPrintWithoutTheSecretKey() {
        ImageWorkerOptions options = ImageWorkerOptions.builder().servers("127.0.0.1:1")
                .s3(S3Settings.builder().endpoint(URI.create("http://127.0.0.1:9000"))
                        .credentials("AKIAEXAMPLEKEY", "very-secret-key").build())
                .build();
        assertThat(options.toString()).contains("http://127.0.0.1:9000").doesNotContain("very-secret-key")
                .doesNotContain("AKIAEXAMPLEKEY");
    }

    /** A baseline JPEG with real content (a gradient and a few shapes), so its scan data is not trivial. */
    static byte[] jpeg(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        for (int i = 0; i < 12; i++) {
            g.fillOval(i * width / 12, (i * 37) % height, width / 10, height / 8);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "jpeg", out)) {
            throw new IllegalStateException("no JPEG writer");
        }
        return out.toByteArray();
    }
}
