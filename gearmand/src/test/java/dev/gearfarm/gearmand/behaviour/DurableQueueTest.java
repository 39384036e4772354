package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.ERROR;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_CREATED;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_BG;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_EPOCH;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_HIGH_BG;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_LOW_BG;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_COMPLETE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearmand.store.JournalStore;
import dev.gearfarm.gearmand.store.StoredJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background jobs with a persistent queue (-q): stored before JOB_CREATED, removed when done, replayed. */
class DurableQueueTest extends ServerTestSupport {
    @TempDir
    Path dir;

    @Test
    void jobCreatedWaitsUntilTheStoreHasTheJob() {
        RecordingStore store = new RecordingStore();
        start(store);
        WireClient client = connect();
        store.hold();

        client.send(SUBMIT_JOB_BG, "fn", "", "payload");
        client.expectNothing(300);
        assertThat(Map.copyOf(store.jobs)).isEmpty();
        store.release();

        String handle = client.expect(JOB_CREATED).argString(0);
        assertThat(store.jobs.values()).singleElement()
                .satisfies(job -> assertThat(handle).isEqualTo("H:test:" + job.id()))
                .satisfies(job -> assertThat(new String(job.data(), StandardCharsets.ISO_8859_1)).isEqualTo("payload"));
    }

    @Test
    void storedJobIsRemovedWhenItCompletes() {
        RecordingStore store = new RecordingStore();
        start(store);
        String handle = connect().submit(SUBMIT_JOB_BG, "fn", "", "x");
        WireClient worker = worker("fn");
        worker.grab(handle, "fn", "x");
        assertThat(Map.copyOf(store.jobs)).hasSize(1);

        worker.send(WORK_COMPLETE, handle, "done").sync();
        eventually(() -> assertThat(Map.copyOf(store.jobs)).isEmpty());
    }

    @Test
    void cancelledJobIsRemovedFromTheStore() {
        RecordingStore store = new RecordingStore();
        start(store);
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "", "x");

        assertThat(client.admin("cancel job " + handle)).isEqualTo("OK\r\n");
        eventually(() -> assertThat(Map.copyOf(store.jobs)).isEmpty());
    }

    @Test
    void foregroundJobsAreNotStored() {
        RecordingStore store = new RecordingStore();
        start(store);
        connect().send(SUBMIT_JOB, "fn", "", "x").expect(JOB_CREATED);

        assertThat(Map.copyOf(store.jobs)).isEmpty();
        assertThat(store.writes).isZero();
    }

    @Test
    void foregroundJobThatABackgroundSubmissionJoinsIsStoredBeforeItsJobCreated() {
        RecordingStore store = new RecordingStore();
        start(store);
        String handle = connect().submit(SUBMIT_JOB, "fn", "u", "x");
        WireClient background = connect();
        store.hold();

        background.send(SUBMIT_JOB_BG, "fn", "u", "x");
        background.expectNothing(200);
        store.release();

        background.expect(JOB_CREATED, handle);
        assertThat(Map.copyOf(store.jobs)).hasSize(1);
    }

    @Test
    void failingStoreRefusesBackgroundJobsWithQueueErrorAndRecovers() {
        RecordingStore store = new RecordingStore();
        start(store);
        WireClient client = connect();
        store.brokenBecause = "disk on fire";

        client.send(SUBMIT_JOB_BG, "fn", "u", "x");
        Packet error = client.expect(ERROR);
        assertThat(error.argString(0)).isEqualTo("QUEUE_ERROR");
        assertThat(error.argString(1)).contains("recording store").contains("disk on fire");
        assertThat(client.adminList("show jobs")).isEqualTo(".\n");
        assertThat(client.adminList("status")).isEqualTo("fn\t0\t0\t0\n.\n");
        client.send(SUBMIT_JOB, "fn", "", "foreground").expect(JOB_CREATED);

        store.brokenBecause = null;
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "u", "x");
        assertThat(store.jobs.values()).singleElement()
                .satisfies(job -> assertThat("H:test:" + job.id()).isEqualTo(handle));
    }

    @Test
    void removalThatFailsIsRetriedWhenTheStoreWorksAgain() {
        RecordingStore store = new RecordingStore();
        start(store);
        String handle = connect().submit(SUBMIT_JOB_BG, "fn", "", "x");
        WireClient worker = worker("fn");
        worker.grab(handle, "fn", "x");
        store.brokenBecause = "database restarting";

        worker.send(WORK_COMPLETE, handle, "done").sync();
        eventually(() -> assertThat(store.writes).isEqualTo(1));
        store.brokenBecause = null;

        eventually(() -> assertThat(Map.copyOf(store.jobs)).isEmpty());
    }

    @Test
    void replaysStoredJobsInSubmissionOrderPerPriorityWithHandlesAndUniques() {
        start(new RecordingStore(
                new StoredJob(10, "fn", "", 2, 0, null, bytes("low")),
                new StoredJob(11, "fn", "", 1, 0, null, bytes("normal 1")),
                new StoredJob(12, "fn", "same", 1, 0, null, bytes("normal 2")),
                new StoredJob(13, "fn", "", 0, 0, null, bytes("high"))));
        WireClient client = connect();

        assertThat(client.adminList("status")).isEqualTo("fn\t4\t0\t0\n.\n");
        client.send(SUBMIT_JOB_BG, "fn", "same", "again").expect(JOB_CREATED, "H:test:12");
        String next = client.submit(SUBMIT_JOB_BG, "fn", "", "new");
        assertThat(next).isEqualTo("H:test:14");
        WireClient worker = worker("fn");
        worker.grab("H:test:13", "fn", "high");
        worker.grab("H:test:11", "fn", "normal 1");
        worker.grab("H:test:12", "fn", "normal 2");
        worker.grab("H:test:14", "fn", "new");
        worker.grab("H:test:10", "fn", "low");
    }

    @Test
    void journalKeepsQueuedAndScheduledJobsAcrossARestart() {
        start(new JournalStore(dir));
        WireClient client = connect();
        String low = client.submit(SUBMIT_JOB_LOW_BG, "fn", "", "low");
        String high = client.submit(SUBMIT_JOB_HIGH_BG, "fn", "", "high");
        String unique = client.submit(SUBMIT_JOB_BG, "fn", "u1", "normal");
        long later = System.currentTimeMillis() / 1000 + 3600;
        client.send(SUBMIT_JOB_EPOCH, "fn", "", Long.toString(later), "scheduled");
        String scheduled = client.expect(JOB_CREATED).argString(0);
        String done = client.submit(SUBMIT_JOB_BG, "other", "", "finished before the restart");
        WireClient worker = worker("other");
        worker.grab(done, "other", "finished before the restart");
        worker.send(WORK_COMPLETE, done, "ok").sync();
        client.sync();
        restart();

        start(new JournalStore(dir));
        client = connect();
        assertThat(client.adminList("status")).isEqualTo("fn\t4\t0\t0\n.\n");
        client.send(SUBMIT_JOB_BG, "fn", "u1", "normal").expect(JOB_CREATED, unique);
        assertThat(client.adminList("show jobs")).contains(scheduled);
        WireClient fnWorker = worker("fn");
        fnWorker.grab(high, "fn", "high");
        fnWorker.grab(unique, "fn", "normal");
        fnWorker.grab(low, "fn", "low");
        fnWorker.grabNothing();
        assertThat(client.adminList("status")).startsWith("fn\t4\t3\t1\n");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
