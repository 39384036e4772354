package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearmand.it.Cmd.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The C {@code gearman} and {@code gearadmin} tools (Debian gearman-tools 1.1.20) against our server. */
class GearmanToolsIT {
    private ServerProcess server;
    private final List<Process> workers = new ArrayList<>();
    private String gearman;
    private String gearadmin;

    @BeforeEach
    void start() throws Exception {
        gearman = Peers.require("gearman", "the C gearman client/worker interop tests");
        gearadmin = Peers.require("gearadmin", "the C gearadmin interop tests");
        server = ServerProcess.ours();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process worker : workers) {
            worker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    private void startWorker(String function, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(gearman, "-h", "127.0.0.1", "-p", String.valueOf(server.port),
                "-w", "-f", function, "--"));
        args.addAll(List.of(command));
        workers.add(Cmd.start(args, Files.createTempFile("gearman-worker", ".log")));
        awaitWorkers(function, workers.size());
    }

    private void awaitWorkers(String function, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (String line : server.admin("status").split("\n")) {
                String[] fields = line.split("\t");
                if (fields.length == 4 && fields[0].equals(function) && Integer.parseInt(fields[3]) >= count) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no worker registered " + function + ": " + server.admin("status"));
    }

    private Result client(String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(gearman, "-h", "127.0.0.1", "-p", String.valueOf(server.port)));
        command.addAll(List.of(args));
        return Cmd.run(command, stdin, 20);
    }

    @Test
    void cWorkerReversesWhatCClientSends() throws Exception {
        startWorker("rev", "rev");
        Result result = client("hello world\n", "-f", "rev");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("dlrow olleh\n");
    }

    @Test
    void cClientSendsArgumentAsPayload() throws Exception {
        startWorker("upper", "tr", "a-z", "A-Z");
        Result result = client(null, "-f", "upper", "gearman rocks");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("GEARMAN ROCKS");
    }

    @Test
    void cClientRunsJobsAtHighAndLowPriorityWithUnique() throws Exception {
        startWorker("rev", "rev");
        Result high = client("abc\n", "-f", "rev", "-I", "-u", "uniq-high");
        Result low = client("xyz\n", "-f", "rev", "-L", "-u", "uniq-low");
        assertThat(high.stdout()).isEqualTo("cba\n");
        assertThat(low.stdout()).isEqualTo("zyx\n");
    }

    @Test
    void backgroundJobsQueueUntilAWorkerComesAndThenDrain() throws Exception {
        Result submitted = client(null, "-f", "later", "-b", "payload");
        assertThat(submitted.exitCode()).isZero();
        assertThat(server.admin("status")).isEqualTo("later\t1\t0\t0\n.\n");
        Path out = Files.createTempFile("later", ".txt");
        startWorker("later", "sh", "-c", "cat >> " + out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.admin("status").startsWith("later\t0\t0\t") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(server.admin("status")).startsWith("later\t0\t0\t1\n");
        assertThat(Files.readString(out)).isEqualTo("payload");
    }

    @Test
    void eachLineBecomesOneJobWithDashN() throws Exception {
        startWorker("rev", "rev");
        Result result = client("one\ntwo\nthree\n", "-n", "-f", "rev");
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().lines()).containsExactlyInAnyOrder("eno", "owt", "eerht");
    }

    @Test
    void gearadminReadsStatusWorkersAndJobs() throws Exception {
        startWorker("rev", "rev");
        client(null, "-f", "queued_fn", "-b", "x");
        Result status = admin("--status");
        assertThat(status.stdout()).contains("rev\t0\t0\t1\n").contains("queued_fn\t1\t0\t0\n").endsWith(".\n");
        Result workers = admin("--workers");
        assertThat(workers.stdout()).containsPattern("(?m)^\\d+ 127\\.0\\.0\\.1 - : rev$");
        Result jobs = admin("--show-jobs");
        assertThat(jobs.stdout()).containsPattern("(?m)^H:[^\\t]+:\\d+\\t0\\t0\\t1$");
        Result priority = admin("--priority-status");
        assertThat(priority.stdout()).contains("queued_fn\t0\t1\t0\t0\n");
        assertThat(admin("--server-version").stdout()).isNotBlank();
        assertThat(admin("--getpid").stdout().trim()).isEqualTo(String.valueOf(server.process.pid()));
    }

    @Test
    void gearadminCancelsCreatesAndDrops() throws Exception {
        client(null, "-f", "doomed", "-b", "x");
        String handle = server.admin("show jobs").split("\t")[0];
        assertThat(admin("--cancel-job", handle).exitCode()).isZero();
        assertThat(server.admin("status")).isEqualTo("doomed\t0\t0\t0\n.\n");
        assertThat(admin("--create-function", "made_here").exitCode()).isZero();
        assertThat(server.admin("status")).contains("made_here\t0\t0\t0\n");
        assertThat(admin("--drop-function", "made_here").exitCode()).isZero();
        assertThat(server.admin("status")).doesNotContain("made_here");
    }

    private Result admin(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(gearadmin, "-h", "127.0.0.1", "-p", String.valueOf(server.port)));
        command.addAll(List.of(args));
        return Cmd.run(command, null, 20);
    }
}
