package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearmand.it.Cmd.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PHP's Gearman extension (libgearman) and Perl's Gearman::Client/Worker, as clients and workers in every
 * pairing, against our server; the same scripts run against C gearmand must print the same checks.
 */
class LanguagePeersIT {
    private static final Path PEERS = Path.of("target", "test-classes", "peers");

    @ParameterizedTest(name = "{0} worker, {1} client")
    @CsvSource({"php, php", "php, perl", "perl, php", "perl, perl"})
    void clientsAndWorkersOfBothLanguagesAgreeOnOurServerAsOnC(String worker, String client) throws Exception {
        Result ours;
        try (ServerProcess server = ServerProcess.ours()) {
            ours = runPair(server, worker, client);
        }
        assertThat(ours.exitCode()).as("client stderr: %s", ours.stderr()).isZero();
        assertThat(ours.stdout()).doesNotContain("not ok").contains("ok ");
        Result c;
        try (ServerProcess server = ServerProcess.cGearmand()) {
            c = runPair(server, worker, client);
        }
        assertThat(ours.stdout().lines()).containsExactlyElementsOf(c.stdout().lines().toList());
    }

    private static Result runPair(ServerProcess server, String worker, String client) throws Exception {
        String workerProgram = interpreter(worker);
        String clientProgram = interpreter(client);
        Path workerLog = Files.createTempFile(worker + "-worker", ".log");
        Process workerProcess = Cmd.start(List.of(workerProgram, script(worker, "worker"), "127.0.0.1",
                String.valueOf(server.port)), workerLog);
        try {
            awaitWorker(server, workerProcess, workerLog);
            return Cmd.run(List.of(clientProgram, script(client, "client"), "127.0.0.1",
                    String.valueOf(server.port)), null, 120);
        } finally {
            workerProcess.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void awaitWorker(ServerProcess server, Process worker, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!worker.isAlive()) {
                throw new AssertionError("worker exited: " + Files.readString(log));
            }
            if (server.admin("status").matches("(?s).*(^|\\n)reverse\\t\\d+\\t\\d+\\t[1-9].*")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("worker never registered 'reverse': " + Files.readString(log));
    }

    static String interpreter(String language) {
        return "php".equals(language)
                ? Peers.require("php", "the PHP Gearman extension tests (packages php-cli php-gearman)")
                : Peers.require("perl", "the Perl Gearman tests");
    }

    static String script(String language, String role) {
        String name = language + "_" + role + ("php".equals(language) ? ".php" : ".pl");
        if ("php".equals(language)) {
            Peers.requireThat(phpHasGearman(), "php has no gearman extension (apt-get install php-gearman)");
        } else {
            Peers.requireThat(perlHasGearman(), "perl has no Gearman::Client (apt-get install libgearman-client-perl)");
        }
        return PEERS.resolve(name).toAbsolutePath().toString();
    }

    private static boolean phpHasGearman() {
        try {
            return Cmd.run(List.of("php", "-m"), null, 20).stdout().lines().anyMatch("gearman"::equals);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean perlHasGearman() {
        try {
            return Cmd.run(List.of("perl", "-MGearman::Client", "-MGearman::Worker", "-e", "1"), null, 20)
                    .exitCode() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
