package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same scenario against C gearmand and ours: every admin reply must be the same bytes, once the
 * parts that legitimately differ (handle host names, connection numbers, pid, version) are masked and
 * the lists C prints in hash order are sorted. ({@code shutdown} is ours and the Perl server's only.)
 */
class AdminOutputParityIT {

    @Test
    void adminRepliesMatchCGearmandByteForByte() throws Exception {
        Map<String, String> c;
        try (ServerProcess server = ServerProcess.cGearmand()) {
            c = scenario(server);
        }
        Map<String, String> ours;
        try (ServerProcess server = ServerProcess.ours()) {
            ours = scenario(server);
        }
        assertThat(ours).containsExactlyEntriesOf(c);
    }

    private static Map<String, String> scenario(ServerProcess server) throws Exception {
        String gearman = Peers.require("gearman", "the admin parity test");
        List<Process> workers = new ArrayList<>();
        Map<String, String> replies = new LinkedHashMap<>();
        try {
            for (String function : List.of("alpha", "beta")) {
                workers.add(Cmd.start(List.of(gearman, "-h", "127.0.0.1", "-p", String.valueOf(server.port), "-w",
                        "-f", function, "--", "sleep", "30"), Files.createTempFile("parity", ".log")));
            }
            awaitWorkers(server, 2);
            for (String[] job : new String[][] {{"queued_fn", ""}, {"queued_fn", "-I"}, {"queued_fn", "-L"},
                {"other_fn", ""}, {"alpha", ""}}) {
                List<String> command = new ArrayList<>(List.of(gearman, "-h", "127.0.0.1", "-p",
                        String.valueOf(server.port), "-f", job[0], "-b", "-u", "uniq-" + job[0] + job[1]));
                if (!job[1].isEmpty()) {
                    command.add(job[1]);
                }
                command.add("payload");
                assertThat(Cmd.run(command, null, 20).exitCode()).isZero();
            }
            awaitRunning(server, "alpha");
            for (String command : List.of("status", "prioritystatus", "workers", "show jobs", "show unique jobs",
                    "STATUS", "version", "getpid", "verbose", "maxqueue", "maxqueue queued_fn 10",
                    "maxqueue queued_fn 1 2 3", "cancel job H:nowhere:1", "drop function nope",
                    "drop function alpha", "show nothing", "bogus")) {
                replies.put(command, normalise(command, server.admin(command), server));
            }
        } finally {
            for (Process worker : workers) {
                worker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        return replies;
    }

    private static String normalise(String command, String reply, ServerProcess server) {
        String text = reply.replaceAll("H:[^:\\t\\n]+:\\d+", "H:HOST:N")
                .replace("OK " + server.process.pid() + "\n", "OK PID\n");
        if (command.equals("version")) {
            text = text.replaceAll("^OK \\S+\n$", "OK VERSION\n");
        }
        if (command.equals("verbose")) {
            // Log levels are configured differently per server; the shape is what must match.
            text = text.replaceAll("^OK [A-Z]+\n$", "OK LEVEL\n");
        }
        if (command.equals("workers")) {
            text = text.replaceAll("(?m)^\\d+ ", "FD ");
        }
        if (text.endsWith(".\n") && !text.startsWith("ERR")) {
            List<String> lines = new ArrayList<>(text.lines().toList());
            lines.remove(lines.size() - 1);
            lines.sort(null);
            if (command.equals("workers")) {
                // The previous admin connection may still be open when this one asks (its close races the
                // next command on either server); idle connections print the same line, so count it once.
                lines = new ArrayList<>(new java.util.LinkedHashSet<>(lines));
            }
            text = String.join("\n", lines) + (lines.isEmpty() ? "" : "\n") + ".\n";
        }
        return text;
    }

    private static void awaitWorkers(ServerProcess server, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            long registered = server.admin("status").lines().filter(line -> line.matches(".*\\t[1-9]\\d*$")).count();
            if (registered >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("workers did not register: " + server.admin("status"));
    }

    private static void awaitRunning(ServerProcess server, String function) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (server.admin("status").contains(function + "\t1\t1\t")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(function + " never ran: " + server.admin("status"));
    }
}
