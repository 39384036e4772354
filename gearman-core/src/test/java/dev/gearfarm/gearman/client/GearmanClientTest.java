package dev.gearfarm.gearman.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.GearmanServerException;
import dev.gearfarm.gearman.GearmanTimeoutException;
import dev.gearfarm.gearman.JobExceptionException;
import dev.gearfarm.gearman.JobFailedException;
import dev.gearfarm.gearman.RequestQueueFullException;
import dev.gearfarm.gearman.internal.FakeServer;
import dev.gearfarm.gearman.internal.LeakCheck;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client against a scripted server that checks each packet it sends and answers byte for byte. */
@ExtendWith(LeakCheck.class)
@Timeout(20)
class GearmanClientTest {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private FakeServer server() {
        FakeServer server = FakeServer.start();
        resources.add(server);
        return server;
    }

    private GearmanClient client(ClientOptions.Builder options) {
        GearmanClient client = GearmanClient.create(options.build());
        resources.add(client);
        return client;
    }

    private GearmanClient client(FakeServer... servers) {
        ClientOptions.Builder options = ClientOptions.builder();
        for (FakeServer server : servers) {
            options.servers(server.address());
        }
        return client(options);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.get(FakeServer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static Throwable failure(Future<?> future) {
        try {
            future.get(FakeServer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("expected the future to fail, got " + e, e);
        }
        throw new AssertionError("expected the future to fail, but it succeeded");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void asksForExceptionsOnConnectAndSendsNoClientId() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(ClientOptions.builder().servers(server.address()).clientId("thumbs"));
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.OPTION_REQ, "exceptions");
        connection.reply(PacketType.OPTION_RES, "exceptions");
        CompletableFuture<String> handle = client.submitBackground(JobRequest.of("resize", "img"));
        connection.expect(PacketType.SUBMIT_JOB_BG, "resize", "", "img");
        connection.reply(PacketType.JOB_CREATED, "H:fake:1");
        assertThat(await(handle)).isEqualTo("H:fake:1");
    }

    @Test
    void sendsNoOptionWhenExceptionsAreOff() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(ClientOptions.builder().servers(server.address()).exceptions(false));
        FakeServer.Connection connection = server.accept();
        CompletableFuture<String> handle = client.submitBackground(JobRequest.of("resize", "img"));
        connection.expect(PacketType.SUBMIT_JOB_BG, "resize", "", "img");
        connection.reply(PacketType.JOB_CREATED, "H:fake:1");
        assertThat(await(handle)).isEqualTo("H:fake:1");
    }

    @Test
    void pipelinesSubmissionsAndMatchesJobCreatedInOrder() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(server);
        FakeServer.Connection connection = server.acceptClient();
        JobFuture first = client.submit(JobRequest.of("rev", "one"));
        JobFuture second = client.submit(JobRequest.of("rev", "two"));
        JobFuture third = client.submit(JobRequest.of("rev", "three"));
        // All three are on the wire before the server answers any.
        connection.expect(PacketType.SUBMIT_JOB, "rev", "", "one");
        connection.expect(PacketType.SUBMIT_JOB, "rev", "", "two");
        connection.expect(PacketType.SUBMIT_JOB, "rev", "", "three");
        connection.reply(Packet.response(PacketType.JOB_CREATED, "H:1"), Packet.response(PacketType.JOB_CREATED, "H:2"),
                Packet.response(PacketType.JOB_CREATED, "H:3"),
                Packet.response(PacketType.WORK_COMPLETE, "H:3", "eerht"),
                Packet.response(PacketType.WORK_COMPLETE, "H:1", "eno"));
        connection.reply(PacketType.WORK_COMPLETE, "H:2", "owt");
        assertThat(await(first.handle())).isEqualTo("H:1");
        assertThat(await(second.handle())).isEqualTo("H:2");
        assertThat(await(third.handle())).isEqualTo("H:3");
        assertThat(text(await(first.result()))).isEqualTo("eno");
        assertThat(text(await(second.result()))).isEqualTo("owt");
        assertThat(text(await(third.result()))).isEqualTo("eerht");
    }

    @Test
    void completesBothSubmissionsCoalescedIntoOneHandle() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(server);
        FakeServer.Connection connection = server.acceptClient();
        JobRequest request = JobRequest.builder("rev").payload("same").unique("u1").build();
        JobFuture first = client.submit(request);
        JobFuture second = client.submit(request);
        connection.expect(PacketType.SUBMIT_JOB, "rev", "u1", "same");
        connection.expect(PacketType.SUBMIT_JOB, "rev", "u1", "same");
        connection.reply(Packet.response(PacketType.JOB_CREATED, "H:7"), Packet.response(PacketType.JOB_CREATED, "H:7"),
                Packet.response(PacketType.WORK_COMPLETE, "H:7", "emas"));
        assertThat(text(await(first.result()))).isEqualTo("emas");
        assertThat(text(await(second.result()))).isEqualTo("emas");
    }

    @Test
    void workFailAndWorkExceptionFailTheResultWithDistinctExceptions() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(server);
        FakeServer.Connection connection = server.acceptClient();
        JobFuture failed = client.submit(JobRequest.of("resize", "a"));
        JobFuture threw = client.submit(JobRequest.of("resize", "b"));
        JobFuture failedWithNul = client.submit(JobRequest.of("resize", "c"));
        for (int i = 0; i < 3; i++) {
            connection.read();
        }
        connection.reply(Packet.response(PacketType.JOB_CREATED, "H:1"), Packet.response(PacketType.JOB_CREATED, "H:2"),
                Packet.response(PacketType.JOB_CREATED, "H:3"), Packet.response(PacketType.WORK_FAIL, "H:1"),
                Packet.response(PacketType.WORK_EXCEPTION, "H:2", "image is 839 MP, over the 50 MP limit"),
                // C gearmand's WORK_FAIL for a client without the exceptions option ends in a NUL.
                Packet.response(PacketType.WORK_FAIL, "H:3\0"));
        assertThat(failure(failed.result())).isInstanceOf(JobFailedException.class)
                .hasMessage("job H:1 (function resize) failed: the worker sent WORK_FAIL");
        Throwable exception = failure(threw.result());
        assertThat(exception).isInstanceOf(JobExceptionException.class)
                .hasMessage("job H:2 (function resize) threw: image is 839 MP, over the 50 MP limit");
        assertThat(((JobExceptionException) exception).workerMessage())
                .isEqualTo("image is 839 MP, over the 50 MP limit");
        assertThat(((JobFailedException) failure(failedWithNul.result())).handle()).isEqualTo("H:3");
    }

    @Test
    void listenerHearsDataWarningsAndStatusInOrder() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(server);
        FakeServer.Connection connection = server.acceptClient();
        List<String> heard = new CopyOnWriteArrayList<>();
        JobFuture job = client.submit(JobRequest.of("rev", "x"), new JobListener() {
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
        connection.read();
        connection.reply(Packet.response(PacketType.JOB_CREATED, "H:1"),
                Packet.response(PacketType.WORK_STATUS, "H:1", "1", "4"),
                Packet.response(PacketType.WORK_DATA, "H:1", "part"),
                Packet.response(PacketType.WORK_WARNING, "H:1", "slow"),
                Packet.response(PacketType.WORK_STATUS, "H:1", "junk", "4"),
                Packet.response(PacketType.WORK_COMPLETE, "H:1", "done"));
        assertThat(text(await(job.result()))).isEqualTo("done");
        assertThat(heard).containsExactly("status 1/4", "data part", "warning slow", "status 0/4");
    }

    @Test
    void disconnectFailsEveryPendingRequestAndRunningJobNamingTheServer() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(ClientOptions.builder().servers(server.address())
                .reconnectDelay(Duration.ofSeconds(10), Duration.ofSeconds(10)));
        FakeServer.Connection connection = server.acceptClient();
        JobFuture running = client.submit(JobRequest.of("rev", "a"));
        connection.read();
        connection.reply(PacketType.JOB_CREATED, "H:1");
        await(running.handle());
        JobFuture unanswered = client.submit(JobRequest.of("rev", "b"));
        CompletableFuture<String> background = client.submitBackground(JobRequest.of("rev", "c"));
        CompletableFuture<JobStatus> status = client.status("H:1");
        for (int i = 0; i < 3; i++) {
            connection.read();
        }
        connection.close();

        assertThat(failure(running.result())).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining(server.address()).hasMessageContaining("job H:1 (function rev) will get no result");
        assertThat(failure(unanswered.handle())).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining(server.address()).hasMessageContaining("lost before SUBMIT_JOB was answered: the server closed the connection");
        assertThat(failure(unanswered.result())).isInstanceOf(GearmanConnectionException.class);
        assertThat(failure(background)).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining("SUBMIT_JOB_BG");
        assertThat(failure(status)).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining(server.address());
        // Until it reconnects, the client fails at once rather than waiting.
        assertThat(failure(client.submitBackground(JobRequest.of("rev", "d"))))
                .isInstanceOf(GearmanConnectionException.class).hasMessageContaining("no Gearman server is reachable")
                .hasMessageContaining(server.address());
    }

    @Test
    void rejectsRequestsBeyondThePendingLimitAtOnce() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(ClientOptions.builder().servers(server.address()).maxPendingPerConnection(2));
        FakeServer.Connection connection = server.acceptClient();
        CompletableFuture<String> first = client.submitBackground(JobRequest.of("f", "1"));
        CompletableFuture<String> second = client.submitBackground(JobRequest.of("f", "2"));
        CompletableFuture<String> third = client.submitBackground(JobRequest.of("f", "3"));
        assertThat(failure(third)).isInstanceOf(RequestQueueFullException.class)
                .hasMessageContaining("2 requests are already waiting").hasMessageContaining(server.address());
        connection.read();
        connection.read();
        connection.reply(Packet.response(PacketType.JOB_CREATED, "H:1"), Packet.response(PacketType.JOB_CREATED, "H:2"));
        assertThat(await(first)).isEqualTo("H:1");
        assertThat(await(second)).isEqualTo("H:2");
        // Answered requests free their places.
        CompletableFuture<String> fourth = client.submitBackground(JobRequest.of("f", "4"));
        connection.expect(PacketType.SUBMIT_JOB_BG, "f", "", "4");
        connection.reply(PacketType.JOB_CREATED, "H:4");
        assertThat(await(fourth)).isEqualTo("H:4");
    }

    @Test
    void errorReplyFailsOnlyTheRequestItAnswers() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(server);
        FakeServer.Connection connection = server.acceptClient();
        CompletableFuture<String> refused = client.submitBackground(JobRequest.of("f", "1"));
        CompletableFuture<String> accepted = client.submitBackground(JobRequest.of("f", "2"));
        connection.read();
        connection.read();
        connection.reply(Packet.response(PacketType.ERROR, "QUEUE_ERROR", "Job queue is full"),
                Packet.response(PacketType.JOB_CREATED, "H:2"));
        Throwable error = failure(refused);
        assertThat(error).isInstanceOf(GearmanServerException.class)
                .hasMessage(server.address() + " refused SUBMIT_JOB_BG: QUEUE_ERROR (Job queue is full)");
        assertThat(((GearmanServerException) error).code()).isEqualTo("QUEUE_ERROR");
        assertThat(await(accepted)).isEqualTo("H:2");
    }

    @Test
    void unansweredRequestTimesOutAndClosesTheConnection() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(ClientOptions.builder().servers(server.address())
                .responseTimeout(Duration.ofMillis(200)));
        FakeServer.Connection connection = server.acceptClient();
        CompletableFuture<String> first = client.submitBackground(JobRequest.of("f", "1"));
        CompletableFuture<String> second = client.submitBackground(JobRequest.of("f", "2"));
        assertThat(failure(first)).isInstanceOf(GearmanTimeoutException.class)
                .hasMessage(server.address() + " did not answer SUBMIT_JOB_BG within 200 ms; closing the connection");
        assertThat(failure(second)).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining("did not answer SUBMIT_JOB_BG within 200 ms");
        connection.read();
        connection.read();
        assertThat(connection.closedByClient()).isTrue();
    }

    @Test
    void outOfStepReplyClosesTheConnection() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(server);
        FakeServer.Connection connection = server.acceptClient();
        CompletableFuture<String> submitted = client.submitBackground(JobRequest.of("f", "1"));
        connection.read();
        connection.reply(PacketType.ECHO_RES, "surprise");
        assertThat(failure(submitted)).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining("answered SUBMIT_JOB_BG with ECHO_RES");
        assertThat(connection.closedByClient()).isTrue();
    }

    @Test
    void statusQueriesReadTheServersReplies() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(server);
        FakeServer.Connection connection = server.acceptClient();
        CompletableFuture<JobStatus> status = client.status("H:9");
        connection.expect(PacketType.GET_STATUS, "H:9");
        connection.reply(PacketType.STATUS_RES, "H:9", "1", "1", "3", "4");
        assertThat(await(status)).isEqualTo(new JobStatus("H:9", true, true, 3, 4));
        CompletableFuture<UniqueStatus> unique = client.statusByUnique("same");
        connection.expect(PacketType.GET_STATUS_UNIQUE, "same");
        connection.reply(PacketType.STATUS_RES_UNIQUE, "same", "1", "0", "0", "0", "2");
        assertThat(await(unique)).isEqualTo(new UniqueStatus("same", true, false, 0, 0, 2));
    }

    @Test
    void priorityAndScheduleChooseThePacketType() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(server);
        FakeServer.Connection connection = server.acceptClient();
        client.submit(JobRequest.builder("f").payload("h").priority(Priority.HIGH).build());
        client.submit(JobRequest.builder("f").payload("l").priority(Priority.LOW).unique("u").build());
        client.submitBackground(JobRequest.builder("f").payload("hb").priority(Priority.HIGH).build());
        client.submitBackground(JobRequest.builder("f").payload("lb").priority(Priority.LOW).build());
        client.submitBackground(JobRequest.builder("f").payload("e").runAt(Instant.ofEpochSecond(1700000000)).build());
        connection.expect(PacketType.SUBMIT_JOB_HIGH, "f", "", "h");
        connection.expect(PacketType.SUBMIT_JOB_LOW, "f", "u", "l");
        connection.expect(PacketType.SUBMIT_JOB_HIGH_BG, "f", "", "hb");
        connection.expect(PacketType.SUBMIT_JOB_LOW_BG, "f", "", "lb");
        connection.expect(PacketType.SUBMIT_JOB_EPOCH, "f", "", "1700000000", "e");
        assertThatThrownBy(() -> client.submit(JobRequest.builder("f").runAt(Instant.now()).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use submitBackground");
    }

    @Test
    void skipsAServerThatIsDown() throws Exception {
        FakeServer live = server();
        GearmanClient client = client(ClientOptions.builder().servers(FakeServer.deadAddress(), live.address()));
        FakeServer.Connection connection = live.acceptClient();
        List<CompletableFuture<String>> handles = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            handles.add(client.submitBackground(JobRequest.of("f", "job" + i)));
        }
        // A job that first tried the dead server may arrive after later ones that went straight to the live
        // one, so each is answered with a handle naming its payload.
        for (int i = 0; i < 4; i++) {
            Packet submitted = connection.read();
            assertThat(submitted.type()).isEqualTo(PacketType.SUBMIT_JOB_BG);
            connection.reply(PacketType.JOB_CREATED, "H:" + submitted.argString(2));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(await(handles.get(i))).isEqualTo("H:job" + i);
        }
    }

    @Test
    void failsAtOnceNamingTheServerWhenNoneIsReachable() {
        String dead = FakeServer.deadAddress();
        GearmanClient client = client(ClientOptions.builder().servers(dead));
        JobFuture job = client.submit(JobRequest.of("f", "x"));
        assertThat(failure(job.result())).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining("cannot connect to Gearman server " + dead);
    }

    @Test
    void sendsJobsWithTheSameUniqueToTheSameServerAndOthersRoundRobin() throws Exception {
        FakeServer one = server();
        FakeServer two = server();
        GearmanClient client = client(one, two);
        FakeServer.Connection first = one.acceptClient();
        FakeServer.Connection second = two.acceptClient();
        for (int i = 0; i < 3; i++) {
            client.submitBackground(JobRequest.builder("f").unique("key").payload("k" + i).build());
        }
        FakeServer.Connection chosen = "key".hashCode() % 2 == 0 ? first : second;
        for (int i = 0; i < 3; i++) {
            chosen.expect(PacketType.SUBMIT_JOB_BG, "f", "key", "k" + i);
        }
        client.submitBackground(JobRequest.of("f", "r0"));
        client.submitBackground(JobRequest.of("f", "r1"));
        first.expect(PacketType.SUBMIT_JOB_BG, "f", "", "r0");
        second.expect(PacketType.SUBMIT_JOB_BG, "f", "", "r1");
    }

    @Test
    void reconnectsAfterTheServerDropsTheConnection() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(ClientOptions.builder().servers(server.address())
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(100)));
        server.acceptClient().close();
        FakeServer.Connection again = server.acceptClient();
        CompletableFuture<String> handle = submitUntilAccepted(client);
        again.expect(PacketType.SUBMIT_JOB_BG, "f", "", "x");
        again.reply(PacketType.JOB_CREATED, "H:1");
        assertThat(await(handle)).isEqualTo("H:1");
    }

    /** The client learns of the new connection a moment after the server does; until then it fails fast. */
    private static CompletableFuture<String> submitUntilAccepted(GearmanClient client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FakeServer.TIMEOUT_MILLIS);
        while (true) {
            CompletableFuture<String> handle = client.submitBackground(JobRequest.of("f", "x"));
            try {
                handle.getNow(null);
                return handle;
            } catch (java.util.concurrent.CompletionException down) {
                assertThat(down.getCause()).isInstanceOf(GearmanConnectionException.class);
                assertThat(System.nanoTime() - deadline).as("reconnected in time").isNegative();
                Thread.sleep(10);
            }
        }
    }

    @Test
    void closeFailsJobsStillRunning() throws Exception {
        FakeServer server = server();
        GearmanClient client = client(server);
        FakeServer.Connection connection = server.acceptClient();
        JobFuture job = client.submit(JobRequest.of("rev", "a"));
        connection.read();
        connection.reply(PacketType.JOB_CREATED, "H:1");
        await(job.handle());
        client.close();
        assertThat(failure(job.result())).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining("the client was closed");
        assertThat(connection.closedByClient()).isTrue();
        assertThatThrownBy(() -> client.submit(JobRequest.of("rev", "b"))).isInstanceOf(IllegalStateException.class);
    }
}
