package dev.gearfarm.gearman.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gearfarm.gearman.internal.FakeServer;
import dev.gearfarm.gearman.internal.LeakCheck;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker against a scripted server that checks each packet it sends and answers byte for byte. */
@ExtendWith(LeakCheck.class)
@Timeout(20)
class GearmanWorkerTest {
    private static final int QUIET_MILLIS = 200;

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

    private GearmanWorker worker(WorkerOptions.Builder options) {
        GearmanWorker worker = GearmanWorker.create(options.shutdownTimeout(Duration.ofSeconds(5))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(100)).build());
        resources.add(worker::closeNow);
        return worker;
    }

    private GearmanWorker worker(int concurrency, FakeServer... servers) {
        WorkerOptions.Builder options = WorkerOptions.builder().concurrency(concurrency);
        for (FakeServer server : servers) {
            options.servers(server.address());
        }
        return worker(options);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static JobHandler reverse() {
        return job -> utf8(new StringBuilder(job.payloadAsString()).reverse().toString());
    }

    private static void assign(FakeServer.Connection connection, String handle, String function, String unique,
            String payload) {
        connection.reply(PacketType.JOB_ASSIGN_UNIQ, handle, function, unique, payload);
    }

    /**
     * Reads the registration: functions registered before the connection was made come in one handshake,
     * those registered after come each with its own grab, so only the set of packets is certain.
     */
    private static void expectRegistration(FakeServer.Connection connection, Packet... canDos) {
        List<Packet> expected = new ArrayList<>(List.of(canDos));
        List<Packet> got = new ArrayList<>();
        int grabs = 0;
        while (got.size() < canDos.length) {
            Packet packet = connection.read();
            if (packet.type() == PacketType.GRAB_JOB_UNIQ) {
                assertThat(got).as("a grab comes after a CAN_DO").isNotEmpty();
                grabs++;
            } else {
                got.add(packet);
            }
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected);
        if (grabs == 0) {
            connection.expect(PacketType.GRAB_JOB_UNIQ);
        }
    }

    /**
     * Reads a job's packet. The worker asks for its next job as soon as the slot is free, which may be
     * before the finished job's packets were written (they come from the job thread), so a grab may come
     * first; returns whether one did.
     */
    private static boolean expectResult(FakeServer.Connection connection, PacketType type, String... args) {
        Packet packet = connection.read();
        boolean grabbed = packet.type() == PacketType.GRAB_JOB_UNIQ;
        if (grabbed) {
            packet = connection.read();
        }
        assertThat(packet).isEqualTo(Packet.request(type, (Object[]) args));
        return grabbed;
    }

    /** After {@link #expectResult}: reads the next grab unless it came already. */
    private static void expectGrab(FakeServer.Connection connection, boolean alreadyGrabbed) {
        if (!alreadyGrabbed) {
            connection.expect(PacketType.GRAB_JOB_UNIQ);
        }
    }

    private static Packet canDo(String function) {
        return Packet.request(PacketType.CAN_DO, function);
    }

    @Test
    void registersEachFunctionThenGrabsWithUnique() {
        FakeServer server = server();
        GearmanWorker worker = worker(WorkerOptions.builder().servers(server.address()).concurrency(1)
                .clientId("thumbs-1"));
        worker.register("reverse", reverse());
        worker.register("slow", Duration.ofSeconds(30), job -> new byte[0]);
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.SET_CLIENT_ID, "thumbs-1");
        expectRegistration(connection, canDo("reverse"), Packet.request(PacketType.CAN_DO_TIMEOUT, "slow", "30"));
        assertThat(connection.quietFor(QUIET_MILLIS)).as("one grab at a time").isTrue();
        assign(connection, "H:x:1", "reverse", "u-1", "hello");
        expectGrab(connection, expectResult(connection, PacketType.WORK_COMPLETE, "H:x:1", "olleh"));
    }

    @Test
    void handlerSeesHandleFunctionUniqueAndPayload() throws Exception {
        FakeServer server = server();
        CompletableFuture<String> seen = new CompletableFuture<>();
        worker(1, server).register("f", job -> {
            seen.complete(job.handle() + "|" + job.function() + "|" + job.unique() + "|" + job.payloadAsString());
            return null;
        });
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.CAN_DO, "f");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        assign(connection, "H:x:7", "f", "order-42", "data");
        expectResult(connection, PacketType.WORK_COMPLETE, "H:x:7", "");
        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("H:x:7|f|order-42|data");
    }

    @Test
    void sleepsWhenThereIsNoJobAndWakesOnNoop() {
        FakeServer server = server();
        worker(1, server).register("reverse", reverse());
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.CAN_DO, "reverse");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        connection.reply(PacketType.NO_JOB);
        connection.expect(PacketType.PRE_SLEEP);
        assertThat(connection.quietFor(QUIET_MILLIS)).as("no polling while asleep").isTrue();
        connection.reply(PacketType.NOOP);
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        assign(connection, "H:x:2", "reverse", "", "ab");
        expectResult(connection, PacketType.WORK_COMPLETE, "H:x:2", "ba");
    }

    @Test
    void failureAndExceptionBecomeWorkFailAndWorkException() {
        FakeServer server = server();
        GearmanWorker worker = worker(1, server);
        worker.register("fail", job -> {
            throw new WorkFailedException("no such image");
        });
        worker.register("boom", job -> {
            throw new IllegalStateException("disk full");
        });
        worker.register("npe", job -> {
            throw new NullPointerException();
        });
        FakeServer.Connection connection = server.accept();
        expectRegistration(connection, canDo("fail"), canDo("boom"), canDo("npe"));
        assertThat(connection.quietFor(QUIET_MILLIS)).as("one grab at a time").isTrue();
        assign(connection, "H:x:1", "fail", "", "");
        expectGrab(connection, expectResult(connection, PacketType.WORK_FAIL, "H:x:1"));
        assign(connection, "H:x:2", "boom", "", "");
        expectGrab(connection, expectResult(connection, PacketType.WORK_EXCEPTION, "H:x:2", "disk full"));
        assign(connection, "H:x:3", "npe", "", "");
        expectResult(connection, PacketType.WORK_EXCEPTION, "H:x:3", "NullPointerException");
    }

    @Test
    void progressGoesOutBeforeTheResult() {
        FakeServer server = server();
        worker(1, server).register("status", job -> {
            job.sendStatus(1, 4);
            job.sendData(utf8("chunk"));
            job.sendWarning(utf8("warn"));
            return utf8("done");
        });
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.CAN_DO, "status");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        assign(connection, "H:x:1", "status", "", "");
        expectResult(connection, PacketType.WORK_STATUS, "H:x:1", "1", "4");
        connection.expect(PacketType.WORK_DATA, "H:x:1", "chunk");
        connection.expect(PacketType.WORK_WARNING, "H:x:1", "warn");
        expectResult(connection, PacketType.WORK_COMPLETE, "H:x:1", "done");
    }

    @Test
    void progressAfterTheJobEndedIsRefused() throws Exception {
        FakeServer server = server();
        CompletableFuture<WorkerJob> kept = new CompletableFuture<>();
        worker(1, server).register("f", job -> {
            kept.complete(job);
            return null;
        });
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.CAN_DO, "f");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        assign(connection, "H:x:1", "f", "", "");
        expectResult(connection, PacketType.WORK_COMPLETE, "H:x:1", "");
        assertThatThrownBy(() -> kept.get(5, TimeUnit.SECONDS).sendData(utf8("late")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("H:x:1 (function f) has ended");
    }

    @Test
    void errorWhileAGrabIsPendingDoesNotAnswerTheGrab() {
        FakeServer server = server();
        worker(1, server).register("reverse", reverse());
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.CAN_DO, "reverse");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        // An ERROR for an earlier result (the job timed out on the server), then the grab's own answer.
        connection.reply(Packet.response(PacketType.ERROR, "JOB_NOT_FOUND", "Job given in work result not found"),
                Packet.response(PacketType.JOB_ASSIGN_UNIQ, "H:x:5", "reverse", "", "xy"));
        expectResult(connection, PacketType.WORK_COMPLETE, "H:x:5", "yx");
    }

    @Test
    void neverRunsMoreThanConcurrencyJobsAcrossServers() throws Exception {
        FakeServer first = server();
        FakeServer second = server();
        CountDownLatch release = new CountDownLatch(1);
        worker(1, first, second).register("slow", job -> {
            release.await(5, TimeUnit.SECONDS);
            return utf8("ok");
        });
        FakeServer.Connection a = first.accept();
        FakeServer.Connection b = second.accept();
        a.expect(PacketType.CAN_DO, "slow");
        b.expect(PacketType.CAN_DO, "slow");
        // Exactly one of the two gets the only slot's grab.
        FakeServer.Connection granted = a.quietFor(QUIET_MILLIS) ? b : a;
        FakeServer.Connection other = granted == a ? b : a;
        granted.expect(PacketType.GRAB_JOB_UNIQ);
        assign(granted, "H:x:1", "slow", "", "");
        assertThat(other.quietFor(QUIET_MILLIS)).as("no grab while the slot is taken").isTrue();
        assertThat(granted.quietFor(QUIET_MILLIS)).as("no second grab on the busy server").isTrue();
        release.countDown();
        if (!expectResult(granted, PacketType.WORK_COMPLETE, "H:x:1", "ok")) {
            // The freed slot lets one of them ask again.
            FakeServer.Connection next = other.quietFor(QUIET_MILLIS) ? granted : other;
            next.expect(PacketType.GRAB_JOB_UNIQ);
        }
    }

    @Test
    void grabsAgainAtOnceWhileSlotsAreFree() throws Exception {
        FakeServer server = server();
        CountDownLatch release = new CountDownLatch(1);
        worker(2, server).register("slow", job -> {
            release.await(5, TimeUnit.SECONDS);
            return null;
        });
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.CAN_DO, "slow");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        assign(connection, "H:x:1", "slow", "", "");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        assign(connection, "H:x:2", "slow", "", "");
        assertThat(connection.quietFor(QUIET_MILLIS)).as("both slots taken").isTrue();
        release.countDown();
        List<Packet> packets = List.of(connection.read(), connection.read(), connection.read());
        assertThat(packets).extracting(Packet::type).containsExactlyInAnyOrder(PacketType.WORK_COMPLETE,
                PacketType.WORK_COMPLETE, PacketType.GRAB_JOB_UNIQ);
    }

    @Test
    void reconnectsAndRegistersAgainAfterTheServerDropsTheConnection() {
        FakeServer server = server();
        worker(1, server).register("reverse", reverse());
        FakeServer.Connection first = server.accept();
        first.expect(PacketType.CAN_DO, "reverse");
        first.expect(PacketType.GRAB_JOB_UNIQ);
        first.close();
        FakeServer.Connection second = server.accept();
        second.expect(PacketType.CAN_DO, "reverse");
        second.expect(PacketType.GRAB_JOB_UNIQ);
        assign(second, "H:x:9", "reverse", "", "abc");
        expectResult(second, PacketType.WORK_COMPLETE, "H:x:9", "cba");
    }

    @Test
    void gracefulCloseLetsTheRunningJobSendItsResultThenDisconnects() throws Exception {
        FakeServer server = server();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GearmanWorker worker = worker(2, server);
        worker.register("slow", job -> {
            started.countDown();
            release.await(5, TimeUnit.SECONDS);
            return utf8("finished");
        });
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.CAN_DO, "slow");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        assign(connection, "H:x:1", "slow", "", "");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closed = worker.closeAsync();
        // The second grab is still pending: answering it with no job must not make the worker sleep.
        connection.reply(PacketType.NO_JOB);
        assertThat(connection.quietFor(QUIET_MILLIS)).as("no PRE_SLEEP or grab while closing").isTrue();
        assertThat(closed).isNotDone();
        release.countDown();
        connection.expect(PacketType.WORK_COMPLETE, "H:x:1", "finished");
        closed.get(5, TimeUnit.SECONDS);
        assertThat(connection.closedByClient()).isTrue();
    }

    @Test
    void aHandlerThatStartsTheCloseMakesItsJobTheLast() throws Exception {
        FakeServer server = server();
        GearmanWorker worker = worker(1, server);
        CompletableFuture<CompletableFuture<Void>> closing = new CompletableFuture<>();
        worker.register("once", job -> {
            closing.complete(worker.closeAsync());
            return utf8("last");
        });
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.CAN_DO, "once");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        assign(connection, "H:x:1", "once", "", "");
        connection.expect(PacketType.WORK_COMPLETE, "H:x:1", "last");
        closing.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        assertThat(connection.closedByClient()).as("closed without sleeping or grabbing").isTrue();
    }

    @Test
    void closeNowInterruptsTheRunningJobAndDisconnectsWithoutAResult() throws Exception {
        FakeServer server = server();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        GearmanWorker worker = worker(1, server);
        worker.register("hang", job -> {
            started.countDown();
            try {
                Thread.sleep(FakeServer.TIMEOUT_MILLIS * 2L);
                interrupted.complete(false);
            } catch (InterruptedException e) {
                interrupted.complete(true);
                throw e;
            }
            return null;
        });
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.CAN_DO, "hang");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        assign(connection, "H:x:1", "hang", "", "");
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        worker.closeNow();
        assertThat(interrupted.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(connection.closedByClient()).as("closed with no result written").isTrue();
    }

    @Test
    void registeringAfterConnectingStartsGrabbing() {
        FakeServer server = server();
        GearmanWorker worker = worker(1, server);
        FakeServer.Connection connection = server.accept();
        assertThat(connection.quietFor(QUIET_MILLIS)).as("nothing to ask for yet").isTrue();
        worker.register("late", reverse());
        connection.expect(PacketType.CAN_DO, "late");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
    }

    @Test
    void registeringWhileAsleepAsksForAJobAtOnce() {
        FakeServer server = server();
        GearmanWorker worker = worker(1, server);
        worker.register("first", reverse());
        FakeServer.Connection connection = server.accept();
        connection.expect(PacketType.CAN_DO, "first");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
        connection.reply(PacketType.NO_JOB);
        connection.expect(PacketType.PRE_SLEEP);
        worker.register("second", reverse());
        connection.expect(PacketType.CAN_DO, "second");
        connection.expect(PacketType.GRAB_JOB_UNIQ);
    }

    @Test
    void rejectsBadRegistrationsAndOptions() {
        GearmanWorker worker = worker(WorkerOptions.builder().servers(FakeServer.deadAddress()));
        worker.register("f", reverse());
        assertThatThrownBy(() -> worker.register("f", reverse())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already registered");
        assertThatThrownBy(() -> worker.register("g", Duration.ofMillis(1500), reverse()))
                .hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> worker.register("a\0b", reverse())).hasMessageContaining("NUL");
        assertThatThrownBy(() -> WorkerOptions.builder().concurrency(0).build())
                .hasMessageContaining("concurrency must be at least 1");
        assertThatThrownBy(() -> WorkerOptions.builder().clientId("has space").build())
                .hasMessageContaining("clientId");
        worker.close();
        assertThatThrownBy(() -> worker.register("h", reverse())).hasMessageContaining("closed");
    }
}
