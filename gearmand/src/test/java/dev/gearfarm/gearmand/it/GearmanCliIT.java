package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearmand.it.Cmd.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our {@code gearman} tool beside the C one (Debian gearman-tools 1.1.20): the C tool's documented
 * examples (C-OUTPUTS.md, part B) print the same with both, each tool's worker serves the other's
 * client, and the seed's log-aggregation recipe works.
 */
@Timeout(120)
class GearmanCliIT {
    private ServerProcess server;
    private final List<Process> workers = new ArrayList<>();
    private final Map<Process, Path> logs = new HashMap<>();
    private String cGearman;

    @BeforeEach
    void start() throws Exception {
        cGearman = Peers.require("gearman", "comparing our gearman tool with the C one");
        server = ServerProcess.ours();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process worker : workers) {
            worker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(logs.get(worker));
        }
        if (server != null) {
            server.close();
        }
    }

    private List<String> ours() {
        return List.of(ServerProcess.javaBinary(), "-cp", Path.of("target", "gearmand.jar").toAbsolutePath()
                .toString(), "dev.gearfarm.gearmand.tools.GearmanCli");
    }

    private List<String> command(List<String> tool, String... args) {
        return command(server.port, tool, args);
    }

    private static List<String> command(int port, List<String> tool, String... args) {
        List<String> command = new ArrayList<>(tool);
        command.addAll(List.of("-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        return command;
    }

    private Process startWorker(List<String> tool, String function, String... args) throws Exception {
        List<String> command = command(tool, "-w", "-f", function);
        command.addAll(List.of(args));
        Path log = Files.createTempFile("gearman-cli-worker", ".log");
        Process worker = Cmd.start(command, log);
        workers.add(worker);
        logs.put(worker, log);
        awaitWorker(function);
        return worker;
    }

    private void awaitWorker(String function) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (String line : server.admin("status").split("\n")) {
                String[] fields = line.split("\t");
                if (fields.length == 4 && fields[0].equals(function) && Integer.parseInt(fields[3]) >= 1) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no worker registered " + function + ": " + server.admin("status"));
    }

    private Result run(List<String> tool, String stdin, String... args) throws Exception {
        return Cmd.run(command(tool, args), stdin, 30);
    }

    /** Runs {@code args} with the C tool and ours and checks both print {@code expected} and exit 0. */
    private void sameAsC(String expected, String stdin, String... args) throws Exception {
        Result c = run(List.of(cGearman), stdin, args);
        Result ours = run(ours(), stdin, args);
        assertThat(c.stdout()).as("C gearman %s", List.of(args)).isEqualTo(expected);
        assertThat(ours.stdout()).as("our gearman %s (stderr: %s)", List.of(args), ours.stderr()).isEqualTo(expected);
        assertThat(ours.exitCode()).as("our exit status").isEqualTo(c.exitCode()).isZero();
    }

    @Test
    void clientExamplesPrintWhatTheCToolPrints() throws Exception {
        startWorker(List.of(cGearman), "rev", "--", "rev");
        sameAsC("olleh", "hello", "-f", "rev");
        sameAsC("olleh", null, "-f", "rev", "hello");
        sameAsC("olleh\n", "hello\n", "-f", "rev");
        sameAsC("", null, "-f", "rev", "-b", "hello");
        sameAsC("olleh", null, "-f", "rev", "-u", "myuniq", "hello");
        sameAsC("olleh", null, "-f", "rev", "-I", "hello");
        sameAsC("olleh", null, "-f", "rev", "-L", "hello");
        sameAsC("", null, "-f", "rev", "-b", "-I", "hello");
        sameAsC("", null, "-f", "rev", "-b", "-L", "hello");
        sameAsC("ba\ndc\n", "ab\ncd\n", "-f", "rev", "-n");
        sameAsC("badc", "ab\ncd\n", "-f", "rev", "-N");
        sameAsC("", "ignored", "-f", "rev", "-s");
        sameAsC("rev: olleh", null, "-f", "rev", "-P", "hello");
        sameAsC("badc", null, "-f", "rev", "ab", "cd");
    }

    @Test
    void ourWorkerServesTheCClient() throws Exception {
        startWorker(ours(), "rev", "--", "rev");
        Result c = run(List.of(cGearman), "hello", "-f", "rev");
        assertThat(c.stdout()).isEqualTo("olleh");
        Result lines = run(List.of(cGearman), "ab\ncd\n", "-f", "rev", "-n");
        assertThat(lines.stdout()).isEqualTo("ba\ndc\n");
    }

    @Test
    void ourLineWorkerSendsEachLineOnce() throws Exception {
        startWorker(ours(), "lines", "-n", "--", "cat");
        // C's own -n worker prints "ab\nab\ncd\n" here: it resends every line so far with each new one.
        assertThat(run(List.of(cGearman), "ab\ncd\n", "-f", "lines").stdout()).isEqualTo("ab\ncd\n");
        assertThat(run(ours(), "ab\ncd\n", "-f", "lines").stdout()).isEqualTo("ab\ncd\n");
    }

    @Test
    void ourWorkerWithoutACommandWritesThePayloadAndExitsAfterCount() throws Exception {
        Process worker = startWorker(ours(), "echo", "-c", "2");
        assertThat(run(ours(), null, "-f", "echo", "one").exitCode()).isZero();
        assertThat(worker.isAlive()).isTrue();
        assertThat(run(List.of(cGearman), null, "-f", "echo", "two").exitCode()).isZero();
        assertThat(worker.waitFor(20, TimeUnit.SECONDS)).as("worker exits after -c 2 jobs").isTrue();
        assertThat(worker.exitValue()).isZero();
        assertThat(Files.readString(logs.get(worker))).as("payloads on the worker's stdout").isEqualTo("onetwo");
    }

    @Test
    void failuresExitOneWithOneLineOnStderr() throws Exception {
        startWorker(ours(), "fail", "--", "false");
        Result c = run(List.of(cGearman), null, "-f", "fail", "x");
        assertThat(c.exitCode()).isEqualTo(1);
        assertThat(c.stderr()).isEqualTo("Job failed\n");
        Result failed = run(ours(), null, "-f", "fail", "x");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).matches("gearman: job H:\\S+ \\(function fail\\) failed: [^\\n]*\\n");
        Result timeout = run(ours(), null, "-t", "500", "-f", "nosuchfunc", "x");
        assertThat(timeout.exitCode()).isEqualTo(1);
        assertThat(timeout.stderr()).isEqualTo("gearman: no result for nosuchfunc within 500 ms (-t)\n");
        Result refused = Cmd.run(command(ServerProcess.freePort(), ours(), "-f", "rev", "x"), null, 30);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).startsWith("gearman: no Gearman server is reachable: ").hasLineCount(1);
        Result usage = run(ours(), null, "x");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.stderr()).isEqualTo("gearman: no function given; use -f FUNCTION (try gearman --help)\n");
    }

    @Test
    void logAggregationRecipeStoresEveryLine() throws Exception {
        Path log = Files.createTempFile("gearman-logger", ".log");
        try {
            startWorker(ours(), "logger", "--", "sh", "-c", "cat >> " + log);
            Result submitted = run(ours(), "l1\nl2\n", "-n", "-b", "-f", "logger");
            assertThat(submitted.exitCode()).isZero();
            assertThat(submitted.stdout()).isEmpty();
            Result fromC = run(List.of(cGearman), "l3\n", "-n", "-b", "-f", "logger");
            assertThat(fromC.exitCode()).isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.readString(log).equals("l1\nl2\nl3\n") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(Files.readString(log)).isEqualTo("l1\nl2\nl3\n");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
