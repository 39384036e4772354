package dev.gearfarm.gearmand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gearfarm.gearman.admin.AdminException;
import dev.gearfarm.gearman.admin.AdminOptions;
import dev.gearfarm.gearman.admin.FunctionStatus;
import dev.gearfarm.gearman.admin.GearmanAdmin;
import dev.gearfarm.gearman.admin.JobInfo;
import dev.gearfarm.gearman.admin.PriorityStatus;
import dev.gearfarm.gearman.admin.WorkerInfo;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The typed admin client against real servers, ours and C gearmand, each holding the same state: C
 * {@code gearman -w} workers for {@code echo_fn} and {@code hold_fn} (which keeps its one job running),
 * and background jobs queued for {@code queued_fn} at each priority.
 */
class AdminClientIT {

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class OurServer extends Contract {
        @Override
        ServerProcess startServer() throws Exception {
            return ServerProcess.ours();
        }

        @Test
        void shutdownStopsTheServer() throws Exception {
            try (ServerProcess server = ServerProcess.ours(); GearmanAdmin admin = connect(server)) {
                admin.shutdown(false);
                assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(server.process.exitValue()).isZero();
            }
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class CGearmand extends Contract {
        @Override
        ServerProcess startServer() throws Exception {
            return ServerProcess.cGearmand();
        }

        @Test
        void shutdownIsAnUnknownCommand() {
            AdminException e = catchThrowableOfType(() -> admin.shutdown(false), AdminException.class);
            assertThat(e.code()).isEqualTo("UNKNOWN_COMMAND");
            assertThat(e.text()).isEqualTo("Unknown server commandshutdown");
        }
    }

    /** What both servers must answer alike; one server and its state per subclass. */
    abstract class Contract {
        private ServerProcess server;
        private final List<Process> workers = new ArrayList<>();
        private String gearman;
        GearmanAdmin admin;

        abstract ServerProcess startServer() throws Exception;

        @BeforeAll
        void startServerWorkersAndJobs() throws Exception {
            gearman = Peers.require("gearman", "the admin client tests (C workers and background jobs)");
            server = startServer();
            admin = connect(server);
            startWorker("echo_fn", "cat");
            startWorker("hold_fn", "sleep", "60");
            await(s -> s.name().equals("echo_fn") && s.availableWorkers() == 1, "an echo_fn worker");
            await(s -> s.name().equals("hold_fn") && s.availableWorkers() == 1, "a hold_fn worker");
            submit("hold_fn", "hold-1");
            await(s -> s.name().equals("hold_fn") && s.running() == 1, "the hold_fn job running");
            submit("queued_fn", "q-high", "-I");
            submit("queued_fn", "q-normal");
            submit("queued_fn", "q-low", "-L");
        }

        @AfterAll
        void stopEverything() throws Exception {
            if (admin != null) {
                admin.close();
            }
            for (Process worker : workers) {
                worker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            if (server != null) {
                server.close();
            }
        }

        GearmanAdmin connect(ServerProcess target) {
            return GearmanAdmin.connect(AdminOptions.builder().host("127.0.0.1").port(target.port).build());
        }

        private void startWorker(String function, String... command) throws Exception {
            List<String> args = new ArrayList<>(List.of(gearman, "-h", "127.0.0.1", "-p",
                    String.valueOf(server.port), "-w", "-f", function, "--"));
            args.addAll(List.of(command));
            workers.add(Cmd.start(args, Files.createTempFile("admin-it-worker", ".log")));
        }

        private void submit(String function, String unique, String... flags) throws Exception {
            List<String> args = new ArrayList<>(List.of(gearman, "-h", "127.0.0.1", "-p",
                    String.valueOf(server.port), "-f", function, "-b", "-u", unique));
            args.addAll(List.of(flags));
            args.add("payload");
            assertThat(Cmd.run(args, null, 20).exitCode()).isZero();
        }

        private void await(Predicate<FunctionStatus> condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (admin.status().stream().anyMatch(condition)) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("waited 10 s for " + what + "; status: " + admin.status());
        }

        private Optional<FunctionStatus> function(String name) {
            return admin.status().stream().filter(s -> s.name().equals(name)).findFirst();
        }

        @Test
        void statusListsEveryFunctionWithItsJobsAndWorkers() {
            assertThat(admin.status()).contains(new FunctionStatus("echo_fn", 0, 0, 1),
                    new FunctionStatus("hold_fn", 1, 1, 1), new FunctionStatus("queued_fn", 3, 0, 0));
        }

        @Test
        void priorityStatusCountsQueuedJobsByPriority() {
            assertThat(admin.priorityStatus()).contains(new PriorityStatus("queued_fn", 1, 1, 1, 0),
                    new PriorityStatus("hold_fn", 0, 0, 0, 1));
        }

        @Test
        void workersListsEachCWorkerAndThisConnection() {
            List<WorkerInfo> connections = admin.workers();
            assertThat(connections).anySatisfy(w -> {
                assertThat(w.functions()).containsExactly("echo_fn");
                assertThat(w.ip()).isEqualTo("127.0.0.1");
                assertThat(w.clientId()).isEmpty(); // gearman -w sends no SET_CLIENT_ID
            });
            assertThat(connections).anySatisfy(w -> assertThat(w.functions()).containsExactly("hold_fn"));
            assertThat(connections).anySatisfy(w -> assertThat(w.functions()).isEmpty());
        }

        @Test
        void showJobsListsTheBackgroundJobs() {
            // Cancelled jobs C still lists (ignored, no longer queued) are left out.
            List<JobInfo> jobs = admin.showJobs().stream().filter(job -> !job.ignored()).toList();
            assertThat(jobs).hasSizeGreaterThanOrEqualTo(4).allSatisfy(job -> {
                assertThat(job.handle()).matches("H:[^:]+:\\d+");
                assertThat(job.retries()).isZero();
                assertThat(job.background()).isTrue();
            });
        }

        @Test
        void showUniqueJobsListsTheUniquesGiven() {
            assertThat(admin.showUniqueJobs()).contains("hold-1", "q-high", "q-normal", "q-low");
        }

        @Test
        void versionPidAndLogLevelDescribeTheServer() {
            assertThat(admin.version()).isNotBlank().doesNotStartWith("OK");
            assertThat(admin.getpid()).isEqualTo(server.process.pid());
            assertThat(admin.verbose()).isEqualTo("INFO");
        }

        @Test
        void maxQueueRejectsSubmissionsOverTheLimitUntilLifted() throws Exception {
            submit("limited_fn", "l1");
            admin.maxQueue("limited_fn", 1);
            submit("limited_fn", "l2"); // the server answers QUEUE_ERROR; the C tool still exits 0
            assertThat(function("limited_fn")).contains(new FunctionStatus("limited_fn", 1, 0, 0));
            admin.maxQueue("limited_fn", 5, 5, 5);
            admin.maxQueue("limited_fn", 0);
            submit("limited_fn", "l3");
            assertThat(function("limited_fn")).contains(new FunctionStatus("limited_fn", 2, 0, 0));
        }

        @Test
        void cancelJobRemovesAQueuedJobAndIsFalseForAnUnknownHandle() throws Exception {
            Set<String> before = handles();
            submit("cancel_fn", "c1");
            Set<String> added = handles();
            added.removeAll(before);
            assertThat(added).hasSize(1);
            String handle = added.iterator().next();
            assertThat(admin.cancelJob(handle)).isTrue();
            // Ours removes the job at once; C keeps it listed as ignored until a worker would grab it.
            assertThat(admin.showJobs()).filteredOn(job -> job.handle().equals(handle)).allMatch(JobInfo::ignored);
            assertThat(admin.cancelJob("H:nowhere:1")).isFalse();
        }

        private Set<String> handles() {
            Set<String> handles = new HashSet<>();
            admin.showJobs().forEach(job -> handles.add(job.handle()));
            return handles;
        }

        @Test
        void createdFunctionsKeepTheirWholeNameAndCanBeDropped() {
            admin.createFunction("made_here");
            assertThat(function("made_here")).contains(new FunctionStatus("made_here", 0, 0, 0));
            admin.dropFunction("made_here");
            assertThat(function("made_here")).isEmpty();
            AdminException e = catchThrowableOfType(() -> admin.dropFunction("made_here"), AdminException.class);
            assertThat(e.code()).isEmpty();
            assertThat(e.text()).isEqualTo("function not found");
        }

        @Test
        void aFunctionWithWorkersCannotBeDropped() {
            AdminException e = catchThrowableOfType(() -> admin.dropFunction("echo_fn"), AdminException.class);
            assertThat(e.text()).isEqualTo("there are still connected workers or executing clients");
        }

        @Test
        void anUnknownCommandIsAnAdminExceptionAndTheConnectionStaysUsable() {
            AdminException e = catchThrowableOfType(() -> admin.command("bogus"), AdminException.class);
            assertThat(e.code()).isEqualTo("UNKNOWN_COMMAND");
            assertThat(e.text()).isEqualTo("Unknown server commandbogus");
            assertThat(admin.getpid()).isEqualTo(server.process.pid());
        }

        @Test
        void rawStatusIsTheListTheTypedStatusWasParsedFrom() {
            String raw = admin.command("status");
            assertThat(raw).endsWith("\n.\n").contains("queued_fn\t3\t0\t0\n");
            assertThat(raw.lines().count() - 1).isEqualTo(admin.status().size());
        }
    }
}
