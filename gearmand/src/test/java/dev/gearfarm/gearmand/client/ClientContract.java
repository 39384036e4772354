package dev.gearfarm.gearmand.client;

import static dev.gearfarm.gearmand.support.Await.await;
import static dev.gearfarm.gearmand.support.Await.failure;
import static dev.gearfarm.gearmand.support.Await.WAIT_MILLIS;
import static dev.gearfarm.gearmand.support.Await.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.JobExceptionException;
import dev.gearfarm.gearman.JobFailedException;
import dev.gearfarm.gearman.client.ClientOptions;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobFuture;
import dev.gearfarm.gearman.client.JobListener;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.gearman.client.JobStatus;
import dev.gearfarm.gearman.client.Priority;
import dev.gearfarm.gearman.client.UniqueStatus;
import dev.gearfarm.gearman.internal.LeakCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client's behaviour against a real job server, with a raw socket worker. The same tests run against
 * our server in-process ({@link ClientAgainstOurServerTest}) and Debian's C gearmand
 * ({@link ClientAgainstCGearmandIT}).
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
abstract class ClientContract {

    private final List<AutoCloseable> resources = new ArrayList<>();

    /** Starts a fresh server for the test. */
    abstract TestServer startServer() throws Exception;

    TestServer server() throws Exception {
        TestServer server = startServer();
        resources.add(server);
        return server;
    }

    GearmanClient client(ClientOptions.Builder options) {
        GearmanClient client = GearmanClient.create(options.build());
        resources.add(client);
        return client;
    }

    GearmanClient client(TestServer server) {
        return client(ClientOptions.builder().servers(server.address()));
    }

    RawWorker worker(TestServer server, String... functions) {
        RawWorker worker = RawWorker.start(server.address(), functions);
        resources.add(worker);
        return worker;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }


    @Test
    void foregroundJobReturnsTheWorkersResult() throws Exception {
        TestServer server = server();
        worker(server, "reverse");
        GearmanClient client = client(server);
        JobFuture job = client.submit(JobRequest.of("reverse", "hello"));
        assertThat(text(await(job.result()))).isEqualTo("olleh");
        assertThat(await(job.handle())).startsWith("H:");
    }

    @Test
    void manyJobsInFlightOnOneConnectionEachGetTheirOwnResult() throws Exception {
        TestServer server = server();
        worker(server, "reverse");
        worker(server, "reverse");
        GearmanClient client = client(server);
        List<JobFuture> jobs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            jobs.add(client.submit(JobRequest.of("reverse", "job-" + i)));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(text(await(jobs.get(i).result()))).isEqualTo(new StringBuilder("job-" + i).reverse().toString());
        }
    }

    @Test
    void listenerHearsStatusDataAndWarnings() throws Exception {
        TestServer server = server();
        worker(server, "progress");
        GearmanClient client = client(server);
        List<String> heard = new CopyOnWriteArrayList<>();
        JobFuture job = client.submit(JobRequest.of("progress", "x"), new JobListener() {
            @Override
            public void onData(byte[] data) {
                heard.add("data " + text(data));
            }

            @Override
            public void onWarning(byte[] data) {
                heard.add("warning " + text(data));
            }

            @Override
            public void onStatus(long numerator, long denominator) {
                heard.add("status " + numerator + "/" + denominator);
            }
        });
        assertThat(text(await(job.result()))).isEqualTo("done");
        assertThat(heard).containsExactly("status 1/2", "data part", "warning careful");
    }

    @Test
    void workFailAndWorkExceptionFailTheJobWithDistinctExceptions() throws Exception {
        TestServer server = server();
        worker(server, "fail", "throw");
        GearmanClient client = client(server);
        JobFuture failed = client.submit(JobRequest.of("fail", "x"));
        JobFuture threw = client.submit(JobRequest.of("throw", "y"));
        assertThat(failure(failed.result())).isInstanceOf(JobFailedException.class)
                .hasMessageContaining("(function fail) failed");
        Throwable exception = failure(threw.result());
        assertThat(exception).isInstanceOf(JobExceptionException.class);
        assertThat(((JobExceptionException) exception).workerMessage()).isEqualTo("bad input: y");
    }

    @Test
    void withoutTheExceptionsOptionAWorkersExceptionArrivesAsAFailure() throws Exception {
        TestServer server = server();
        worker(server, "throw");
        GearmanClient client = client(ClientOptions.builder().servers(server.address()).exceptions(false));
        JobFuture threw = client.submit(JobRequest.of("throw", "y"));
        Throwable failure = failure(threw.result());
        assertThat(failure).isInstanceOf(JobFailedException.class);
        assertThat(((JobFailedException) failure).handle()).isEqualTo(await(threw.handle()));
    }

    @Test
    void overlappingSubmissionsWithOneUniqueShareAHandleAndBothComplete() throws Exception {
        TestServer server = server();
        GearmanClient client = client(server);
        JobRequest request = JobRequest.builder("reverse").unique("same-key").payload("first").build();
        JobFuture first = client.submit(request);
        JobFuture second = client.submit(request.newBuilder().payload("second").build());
        assertThat(await(second.handle())).isEqualTo(await(first.handle()));
        UniqueStatus waiting = await(client.statusByUnique("same-key"));
        assertThat(waiting).isEqualTo(new UniqueStatus("same-key", true, false, 0, 0, 2));
        worker(server, "reverse");
        assertThat(text(await(first.result()))).isEqualTo("tsrif");
        assertThat(text(await(second.result()))).isEqualTo("tsrif");
    }

    @Test
    void backgroundJobIsQueuedAndItsStatusKnownUntilItRuns() throws Exception {
        TestServer server = server();
        GearmanClient client = client(server);
        String handle = await(client.submitBackground(JobRequest.builder("reverse").unique("bg-1").payload("x").build()));
        assertThat(await(client.status(handle))).isEqualTo(new JobStatus(handle, true, false, 0, 0));
        assertThat(await(client.statusByUnique("bg-1"))).isEqualTo(new UniqueStatus("bg-1", true, false, 0, 0, 0));
        RawWorker worker = worker(server, "reverse");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (await(client.status(handle)).known()) {
            assertThat(System.nanoTime() - deadline).as("job finished in time").isNegative();
            Thread.sleep(10);
        }
        assertThat(worker.grabbed).containsExactly("x");
        assertThat(await(client.status("H:no-such-job:1"))).isEqualTo(new JobStatus("H:no-such-job:1", false, false, 0, 0));
    }

    @Test
    void workerGetsHighPriorityJobsFirstAndLowLast() throws Exception {
        TestServer server = server();
        GearmanClient client = client(server);
        await(client.submitBackground(JobRequest.builder("reverse").payload("low").priority(Priority.LOW).build()));
        await(client.submitBackground(JobRequest.builder("reverse").payload("normal").build()));
        await(client.submitBackground(JobRequest.builder("reverse").payload("high").priority(Priority.HIGH).build()));
        JobFuture last = client.submit(JobRequest.builder("reverse").payload("low-fg").priority(Priority.LOW).build());
        RawWorker worker = worker(server, "reverse");
        assertThat(text(await(last.result()))).isEqualTo("gf-wol");
        assertThat(worker.grabbed).containsExactly("high", "normal", "low", "low-fg");
    }

    @Test
    void scheduledJobIsQueuedForLater() throws Exception {
        TestServer server = server();
        GearmanClient client = client(server);
        String handle = await(client.submitBackground(JobRequest.builder("reverse").payload("later")
                .runAt(Instant.now().plusSeconds(3600)).build()));
        assertThat(await(client.status(handle)).known()).isTrue();
    }

    @Test
    void stoppingOneOfTwoServersFailsItsJobsClearlyAndBackgroundJobsGoToTheOther() throws Exception {
        TestServer doomed = server();
        TestServer live = server();
        worker(doomed, "slow");
        RawWorker survivor = worker(live, "slow", "reverse");
        GearmanClient client = client(ClientOptions.builder().servers(doomed.address(), live.address())
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(200)).responseTimeout(Duration.ofSeconds(5)));
        List<JobFuture> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            jobs.add(client.submit(JobRequest.of("slow", "100")));
        }
        for (JobFuture job : jobs) {
            await(job.handle());
        }
        doomed.close();

        int failed = 0;
        for (JobFuture job : jobs) {
            CompletableFuture<byte[]> result = job.result();
            try {
                assertThat(text(await(result))).isEqualTo("slept");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(GearmanConnectionException.class)
                        .hasMessageContaining(doomed.address());
                assertThat(((GearmanConnectionException) e.getCause()).server()).isEqualTo(doomed.address());
                failed++;
            }
        }
        assertThat(failed).as("jobs on the stopped server that had not finished").isPositive();

        List<String> handles = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            handles.add(await(client.submitBackground(JobRequest.of("reverse", "bg-" + i))));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (survivor.grabbed.stream().filter(payload -> payload.startsWith("bg-")).count() < 20) {
            assertThat(System.nanoTime() - deadline).as("the live server ran every background job").isNegative();
            Thread.sleep(10);
        }
        assertThat(handles).doesNotHaveDuplicates();
    }
}
