package dev.gearfarm.gearmand.client;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gearfarm.gearmand.config.ServerConfig;
import dev.gearfarm.gearmand.engine.EngineConfig;
import dev.gearfarm.gearmand.net.GearmanServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A job server the client tests run against: ours in-process, or Debian's C gearmand as a process. */
public interface TestServer extends AutoCloseable {

    /** {@code 127.0.0.1:port}. */
    String address();

    /** Stops the server, closing its connections. */
    @Override
    void close();

    /** Our server, in this JVM, with the behaviour suite's settings. */
    static TestServer ours() throws InterruptedException {
        GearmanServer server = GearmanServer.start(
                ServerConfig.forTesting(new EngineConfig("H:test", -1, 0, false, "test")));
        String address = "127.0.0.1:" + server.port();
        return new TestServer() {
            @Override
            public String address() {
                return address;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /**
     * Debian's C gearmand on a free port. Skipped when it is not installed, unless
     * {@code -Dgearman.peers.required=true}, when that is a failure.
     */
    static TestServer cGearmand() throws IOException, InterruptedException {
        Path binary = Path.of("/usr/sbin/gearmand");
        if (!Files.isExecutable(binary)) {
            String message = binary + " is not installed; apt-get install gearman-job-server to run this test";
            if (Boolean.getBoolean("gearman.peers.required")) {
                fail(message);
            }
            assumeTrue(false, message);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path pidFile = Files.createTempFile("gearmand-client-it-", ".pid");
        Process process = new ProcessBuilder(List.of(binary.toString(), "-p", String.valueOf(port), "-L",
                "127.0.0.1", "--log-file", "none", "-P", pidFile.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String address = "127.0.0.1:" + port;
        TestServer server = new TestServer() {
            @Override
            public String address() {
                return address;
            }

            @Override
            public void close() {
                process.destroy();
                try {
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                    Files.deleteIfExists(pidFile);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException ignored) {
                    // A stale temporary pid file is harmless.
                }
            }
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return server;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                    server.close();
                    throw new IllegalStateException("C gearmand did not listen on " + address + " within 10 s");
                }
                Thread.sleep(20);
            }
        }
    }
}
