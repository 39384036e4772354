package dev.gearfarm.gearmand.worker;

import static dev.gearfarm.gearmand.support.Await.await;
import static dev.gearfarm.gearmand.support.Await.failure;
import static dev.gearfarm.gearmand.support.Await.WAIT_MILLIS;
import static dev.gearfarm.gearmand.support.Await.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.JobExceptionException;
import dev.gearfarm.gearman.JobFailedException;
import dev.gearfarm.gearman.client.ClientOptions;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobFuture;
import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.gearman.internal.LeakCheck;
import dev.gearfarm.gearman.worker.GearmanWorker;
import dev.gearfarm.gearman.worker.WorkFailedException;
import dev.gearfarm.gearman.worker.WorkerOptions;
import dev.gearfarm.gearmand.client.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our worker against a real job server, with our client submitting the jobs. The same tests run against
 * our server in-process ({@link WorkerAgainstOurServerTest}) and Debian's C gearmand
 * ({@link WorkerAgainstCGearmandIT}).
 */
@Timeout(60)
@ExtendWith(LeakCheck.class)
abstract class WorkerContract {

    final List<AutoCloseable> resources = new ArrayList<>();

    /** Starts a fresh server for the test. */
    abstract TestServer startServer() throws Exception;

    TestServer server() throws Exception {
        TestServer server = startServer();
        resources.add(server);
        return server;
    }

    GearmanClient client(TestServer server) {
        GearmanClient client = GearmanClient.create(ClientOptions.builder().servers(server.address()).build());
        resources.add(client);
        return client;
    }

    GearmanWorker worker(String address, int concurrency) {
        GearmanWorker worker = GearmanWorker.create(WorkerOptions.builder().servers(address)
                .concurrency(concurrency).clientId("contract").shutdownTimeout(Duration.ofSeconds(10))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).build());
        resources.add(worker::closeNow);
        return worker;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }


    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] reverse(byte[] payload) {
        return utf8(new StringBuilder(text(payload)).reverse().toString());
    }

    @Test
    void returnsTheHandlersResultToTheClient() throws Exception {
        TestServer server = server();
        worker(server.address(), 2).register("reverse", job -> reverse(job.payload()));
        JobFuture job = client(server).submit(JobRequest.builder("reverse").payload(utf8("hello"))
                .unique("u-1").build());
        assertThat(text(await(job.result()))).isEqualTo("olleh");
    }

    @Test
    void handlerSeesTheUniqueId() throws Exception {
        TestServer server = server();
        worker(server.address(), 1).register("echo-unique", job -> utf8(job.unique() + ":" + job.function()));
        JobFuture job = client(server).submit(JobRequest.builder("echo-unique").unique("order-42").build());
        assertThat(text(await(job.result()))).isEqualTo("order-42:echo-unique");
    }

    @Test
    void dataWarningsAndStatusReachTheClientBeforeTheResult() throws Exception {
        TestServer server = server();
        worker(server.address(), 1).register("status", job -> {
            job.sendStatus(1, 4);
            job.sendData(utf8("chunk"));
            job.sendWarning(utf8("warn"));
            return utf8("done");
        });
        RecordingListener listener = new RecordingListener();
        JobFuture job = client(server).submit(JobRequest.of("status", "x"), listener);
        assertThat(text(await(job.result()))).isEqualTo("done");
        assertThat(listener.events()).containsExactly("status:1/4", "data:chunk", "warning:warn");
    }

    @Test
    void workFailedExceptionFailsTheJob() throws Exception {
        TestServer server = server();
        worker(server.address(), 1).register("fail", job -> {
            throw new WorkFailedException("cannot");
        });
        assertThat(failure(client(server).submit(JobRequest.of("fail", "x")).result()))
                .isInstanceOf(JobFailedException.class);
    }

    @Test
    void otherExceptionsReachTheClientWithTheirMessage() throws Exception {
        TestServer server = server();
        worker(server.address(), 1).register("exception", job -> {
            throw new IllegalStateException("boom: disk full");
        });
        Throwable error = failure(client(server).submit(JobRequest.of("exception", "x")).result());
        assertThat(error).isInstanceOf(JobExceptionException.class);
        assertThat(((JobExceptionException) error).workerMessage()).isEqualTo("boom: disk full");
    }

    @Test
    void neverRunsMoreJobsAtOnceThanItsConcurrency() throws Exception {
        TestServer server = server();
        int concurrency = 2;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        worker(server.address(), concurrency).register("slow", job -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(150);
            running.decrementAndGet();
            return job.payload();
        });
        GearmanClient client = client(server);
        List<JobFuture> jobs = new ArrayList<>();
        for (int i = 0; i < concurrency + 2; i++) {
            jobs.add(client.submit(JobRequest.of("slow", "job-" + i)));
        }
        for (int i = 0; i < jobs.size(); i++) {
            assertThat(text(await(jobs.get(i).result()))).isEqualTo("job-" + i);
        }
        assertThat(most.get()).isEqualTo(concurrency);
    }

    @Test
    void aJobSubmittedWhileTheWorkerSleepsIsPickedUpPromptly() throws Exception {
        TestServer server = server();
        GearmanWorker worker = worker(server.address(), 1);
        worker.register("reverse", job -> reverse(job.payload()));
        // Give the worker time to find the queue empty and send PRE_SLEEP.
        Thread.sleep(300);
        long start = System.nanoTime();
        JobFuture job = client(server).submit(JobRequest.of("reverse", "wake"));
        assertThat(text(await(job.result()))).isEqualTo("ekaw");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void gracefulCloseFinishesTheRunningJobAndSendsItsResult() throws Exception {
        TestServer server = server();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GearmanWorker worker = worker(server.address(), 2);
        worker.register("slow", job -> {
            started.countDown();
            release.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return utf8("finished");
        });
        JobFuture job = client(server).submit(JobRequest.of("slow", "x"));
        assertThat(started.await(WAIT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
        CompletableFuture<Void> closed = CompletableFuture.runAsync(worker::close);
        Thread.sleep(100);
        assertThat(closed).isNotDone();
        release.countDown();
        assertThat(text(await(job.result()))).isEqualTo("finished");
        await(closed);
    }
}
