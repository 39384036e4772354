package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearmand.it.Cmd.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Workers (the C {@code gearman -w}) that die mid-job, against our server running as a process. */
class WorkerCrashIT {
    private ServerProcess server;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    private Process worker(String function, String script) throws Exception {
        String gearman = Peers.require("gearman", "the worker crash tests");
        Process process = Cmd.start(List.of(gearman, "-h", "127.0.0.1", "-p", String.valueOf(server.port), "-w",
                "-f", function, "--", "sh", "-c", script), Files.createTempFile("crash-worker", ".log"));
        processes.add(process);
        return process;
    }

    private CompletableFuture<Result> client(String function, String payload) {
        String gearman = Peers.require("gearman", "the worker crash tests");
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Cmd.run(List.of(gearman, "-h", "127.0.0.1", "-p", String.valueOf(server.port), "-f", function,
                        payload), null, 60);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void awaitStatus(String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String status = "";
        while (System.nanoTime() < deadline) {
            status = server.admin("status");
            if (status.startsWith(prefix)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("status never started with " + prefix.replace("\t", "\\t") + ": " + status);
    }

    @Test
    void jobOfAKilledWorkerRunsOnAnotherWorker() throws Exception {
        server = ServerProcess.ours();
        Path started = Files.createTempFile("started", ".txt");
        Process doomed = worker("slow", "echo started >> " + started + "; sleep 60");
        awaitStatus("slow\t0\t0\t1");
        CompletableFuture<Result> result = client("slow", "payload");
        awaitStatus("slow\t1\t1\t1");
        doomed.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        awaitStatus("slow\t1\t0\t0");
        assertThat(server.admin("show jobs")).containsPattern("\\t1\\t0\\t0\\n");
        worker("slow", "tr a-z A-Z");
        Result done = result.get(30, TimeUnit.SECONDS);
        assertThat(done.stdout()).isEqualTo("PAYLOAD");
        assertThat(done.exitCode()).isZero();
        assertThat(Files.readAllLines(started)).hasSize(1);
    }

    @Test
    void jobIsFailedToItsClientAfterTwoAttemptsWithJobRetries2() throws Exception {
        server = ServerProcess.ours("-j", "2");
        Path attempts = Files.createTempFile("attempts", ".txt");
        // The worker's job kills the worker process itself: the job dies with it, every time.
        String suicide = "echo attempt >> " + attempts + "; kill -9 $PPID; sleep 5";
        worker("crashy", suicide);
        awaitStatus("crashy\t0\t0\t1");
        CompletableFuture<Result> result = client("crashy", "x");
        awaitStatus("crashy\t1\t0\t0");
        worker("crashy", suicide);
        Result failed = result.get(30, TimeUnit.SECONDS);
        assertThat(failed.exitCode()).isNotZero();
        assertThat(failed.stdout() + failed.stderr()).containsIgnoringCase("fail");
        assertThat(Files.readAllLines(attempts)).hasSize(2);
        assertThat(server.admin("status")).isEqualTo("crashy\t0\t0\t0\n.\n");
    }
}
