package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.JobExceptionException;
import dev.gearfarm.gearman.JobFailedException;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.gearman.worker.GearmanWorker;
import dev.gearfarm.gearman.worker.WorkFailedException;
import dev.gearfarm.gearman.worker.WorkerOptions;
import dev.gearfarm.gearmand.it.Cmd.Result;
import dev.gearfarm.gearmand.worker.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our Java client and worker with other languages' peers, on our server and on C gearmand: the PHP client
 * (php_client.php) against our worker, and our client against the PHP worker (php_worker.php) and the C
 * {@code gearman -w} worker.
 */
@Timeout(120)
class JavaPeersIT {
    private static final long WAIT_SECONDS = 10;

    private static ServerProcess server(String kind) throws Exception {
        return "c".equals(kind) ? ServerProcess.cGearmand() : ServerProcess.ours();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The functions php_worker.php serves, with the same behaviour. */
    private static GearmanWorker javaWorker(ServerProcess server) {
        GearmanWorker worker = GearmanWorker.create(WorkerOptions.builder().servers(server.address())
                .concurrency(4).clientId("java-peer").build());
        worker.register("reverse", job -> {
            byte[] payload = job.payload();
            byte[] reversed = new byte[payload.length];
            for (int i = 0; i < payload.length; i++) {
                reversed[i] = payload[payload.length - 1 - i];
            }
            return reversed;
        });
        worker.register("fail", job -> {
            throw new WorkFailedException("asked to fail");
        });
        worker.register("exception", job -> {
            throw new IllegalStateException("boom");
        });
        worker.register("die", job -> {
            throw new IllegalStateException("boom\n");
        });
        worker.register("status", job -> {
            job.sendStatus(1, 4);
            job.sendData(utf8("chunk"));
            job.sendWarning(utf8("warn"));
            return utf8("done");
        });
        return worker;
    }

    @ParameterizedTest(name = "{0} server")
    @ValueSource(strings = {"ours", "c"})
    void phpClientPassesAgainstOurWorker(String kind) throws Exception {
        String php = LanguagePeersIT.interpreter("php");
        String client = LanguagePeersIT.script("php", "client");
        try (ServerProcess server = server(kind); GearmanWorker worker = javaWorker(server)) {
            awaitWorker(server, "status");
            Result result = Cmd.run(List.of(php, client, "127.0.0.1", String.valueOf(server.port)), null, 60);
            assertThat(result.exitCode()).as("php_client stderr: %s", result.stderr()).isZero();
            assertThat(result.stdout()).doesNotContain("not ok").contains("ok task status");
        }
    }

    @ParameterizedTest(name = "{0} server")
    @ValueSource(strings = {"ours", "c"})
    void ourClientAgainstThePhpWorker(String kind) throws Exception {
        String php = LanguagePeersIT.interpreter("php");
        String script = LanguagePeersIT.script("php", "worker");
        try (ServerProcess server = server(kind)) {
            Path log = Files.createTempFile("php-worker", ".log");
            Process worker = Cmd.start(List.of(php, script, "127.0.0.1", String.valueOf(server.port)), log);
            try (GearmanClient client = GearmanClient.create(server.address())) {
                awaitWorker(server, "status");
                assertThat(text(client.submit(JobRequest.of("reverse", "Hello World!")).result()
                        .get(WAIT_SECONDS, TimeUnit.SECONDS))).isEqualTo("!dlroW olleH");
                assertThat(failure(client, "fail")).isInstanceOf(JobFailedException.class);
                Throwable exception = failure(client, "exception");
                assertThat(exception).isInstanceOf(JobExceptionException.class);
                assertThat(((JobExceptionException) exception).workerMessage()).isEqualTo("boom");
                RecordingListener listener = new RecordingListener();
                byte[] done = client.submit(JobRequest.of("status", "x"), listener).result()
                        .get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(text(done)).isEqualTo("done");
                assertThat(listener.events()).containsExactly("status:1/4", "data:chunk", "warning:warn");
            } finally {
                worker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                Files.deleteIfExists(log);
            }
        }
    }

    @ParameterizedTest(name = "{0} server")
    @ValueSource(strings = {"ours", "c"})
    void ourClientAgainstTheCGearmanWorker(String kind) throws Exception {
        String gearman = Peers.require("gearman", "our client against the C gearman -w worker");
        try (ServerProcess server = server(kind)) {
            Path log = Files.createTempFile("c-worker", ".log");
            Process worker = Cmd.start(List.of(gearman, "-h", "127.0.0.1", "-p", String.valueOf(server.port), "-w",
                    "-f", "rev", "--", "rev"), log);
            try (GearmanClient client = GearmanClient.create(server.address())) {
                awaitWorker(server, "rev");
                assertThat(text(client.submit(JobRequest.of("rev", "hello\nworld\n")).result()
                        .get(WAIT_SECONDS, TimeUnit.SECONDS))).isEqualTo("olleh\ndlrow\n");
            } finally {
                worker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                Files.deleteIfExists(log);
            }
        }
    }

    private static Throwable failure(GearmanClient client, String function) throws Exception {
        try {
            client.submit(JobRequest.of(function, "x")).result().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError(function + " succeeded; expected it to fail");
    }

    private static void awaitWorker(ServerProcess server, String function) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (server.admin("status").matches("(?s).*(^|\\n)" + function + "\\t\\d+\\t\\d+\\t[1-9].*")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no worker registered " + function + ": " + server.admin("status"));
    }
}
