package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.CANT_DO;
import static dev.gearfarm.gearman.protocol.PacketType.CAN_DO_TIMEOUT;
import static dev.gearfarm.gearman.protocol.PacketType.ERROR;
import static dev.gearfarm.gearman.protocol.PacketType.GET_STATUS;
import static dev.gearfarm.gearman.protocol.PacketType.NOOP;
import static dev.gearfarm.gearman.protocol.PacketType.RESET_ABILITIES;
import static dev.gearfarm.gearman.protocol.PacketType.STATUS_RES;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_BG;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_COMPLETE;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_FAIL;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearmand.engine.EngineConfig;
import org.junit.jupiter.api.Test;

/**
 * What happens to a job whose worker goes away, gives the function up or overruns its CAN_DO_TIMEOUT:
 * gearmand 2.0's retry rules.
 */
class RetryTest extends ServerTestSupport {

    @Test
    void jobOfDisconnectedWorkerRunsOnAnotherWorkerWhileItsClientWaits() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "data");
        WireClient quitter = worker("fn");
        quitter.grab(handle, "fn", "data");
        WireClient standby = sleepingWorker("fn");

        quitter.close();
        standby.expect(NOOP);
        standby.grab(handle, "fn", "data");
        standby.send(WORK_COMPLETE, handle, "done by standby");
        client.expect(WORK_COMPLETE, handle, "done by standby");
        client.expectNothingQueued();
    }

    @Test
    void requeuedJobCountsItsRetriesInShowJobs() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "", "x");

        for (int retries = 1; retries <= 3; retries++) {
            WireClient worker = worker("fn");
            worker.grab(handle, "fn", "x");
            worker.close();
            awaitList(client, "show jobs", handle + "\t" + retries + "\t0\t1\n.\n");
        }
        assertThat(client.adminList("status")).isEqualTo("fn\t1\t0\t0\n.\n");
    }

    @Test
    void requeuedJobForgetsItsProgress() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "", "x");
        WireClient worker = worker("fn");
        worker.grab();
        worker.send(WORK_STATUS, handle, "5", "10").sync();
        worker.close();

        eventually(() -> {
            client.send(GET_STATUS, handle);
            assertThat(client.read()).isEqualTo(Packet.response(STATUS_RES, handle, "1", "0", "0", "0"));
        });
    }

    @Test
    void jobIsFailedToItsClientsAfterMaxAttemptsDisconnects() {
        start(new EngineConfig("H:test", 2, 0, false, "test"));
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");

        WireClient first = worker("fn");
        first.grab(handle, "fn", "x");
        WireClient second = sleepingWorker("fn");
        first.close();
        second.expect(NOOP);
        client.expectNothingQueued();
        second.grab(handle, "fn", "x");
        second.close();
        client.expect(WORK_FAIL, handle);

        assertThat(client.adminList("show jobs")).isEqualTo(".\n");
        WireClient third = worker("fn");
        third.grabNothing();
    }

    @Test
    void maxAttemptsZeroAllowsOneAttempt() {
        start(new EngineConfig("H:test", 0, 0, false, "test"));
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        WireClient worker = worker("fn");
        worker.grab();

        worker.close();
        client.expect(WORK_FAIL, handle);
    }

    @Test
    void backgroundJobIsDroppedAfterMaxAttempts() {
        start(new EngineConfig("H:test", 1, 0, false, "test"));
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "", "x");
        WireClient worker = worker("fn");
        worker.grab();

        worker.close();
        awaitList(client, "show jobs", ".\n");
        assertThat(client.adminList("status")).isEqualTo("fn\t0\t0\t0\n.\n");
    }

    @Test
    void cantDoGivesTheRunningJobBack() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        WireClient worker = worker("fn", "other");
        worker.grab();

        worker.send(CANT_DO, "fn").sync();
        assertThat(client.adminList("show jobs")).isEqualTo(handle + "\t1\t0\t0\n.\n");
        assertThat(client.adminList("status")).isEqualTo("fn\t1\t0\t0\nother\t0\t0\t1\n.\n");
        WireClient next = worker("fn");
        next.grab(handle, "fn", "x");
    }

    @Test
    void cantDoOfAnotherFunctionKeepsTheJob() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        WireClient worker = worker("fn", "other");
        worker.grab();

        worker.send(CANT_DO, "other").sync();
        worker.send(WORK_COMPLETE, handle, "r");
        client.expect(WORK_COMPLETE, handle, "r");
    }

    @Test
    void resetAbilitiesGivesEveryRunningJobBack() {
        WireClient client = connect();
        String first = client.submit(SUBMIT_JOB_BG, "a", "", "1");
        String second = client.submit(SUBMIT_JOB_BG, "b", "", "2");
        WireClient worker = worker("a", "b");
        worker.grab(first, "a", "1");
        worker.grab(second, "b", "2");

        worker.send(RESET_ABILITIES).sync();
        assertThat(client.adminList("status")).isEqualTo("a\t1\t0\t0\nb\t1\t0\t0\n.\n");
        worker.grabNothing();
        WireClient next = worker("a", "b");
        next.grab(first, "a", "1");
        next.grab(second, "b", "2");
    }

    @Test
    void workFailIsFinalAndNeverRetried() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        WireClient worker = worker("fn");
        worker.grab();

        worker.send(WORK_FAIL, handle);
        client.expect(WORK_FAIL, handle);
        worker.grabNothing();
    }

    @Test
    void canDoTimeoutInSecondsFailsAnOverrunningJob() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "slow");
        WireClient worker = timedWorker("fn", "1");
        worker.grab(handle, "fn", "slow");
        long assigned = System.nanoTime();

        client.expect(WORK_FAIL, handle);
        assertThat((System.nanoTime() - assigned) / 1_000_000).isBetween(800L, 3_000L);
        assertThat(client.adminList("status")).isEqualTo("fn\t0\t0\t1\n.\n");

        // The late result is dropped without an ERROR: Perl's Gearman::Worker dies on one.
        worker.send(WORK_COMPLETE, handle, "too late");
        worker.expectNothingQueued();
        client.expectNothingQueued();
        worker.grabNothing();
    }

    @Test
    void canDoTimeoutSparesAJobFinishedInTime() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "quick");
        WireClient worker = timedWorker("fn", "1");
        worker.grab(handle, "fn", "quick");

        worker.send(WORK_COMPLETE, handle, "ok");
        client.expect(WORK_COMPLETE, handle, "ok");
        client.expectNothing(1_300);
    }

    @Test
    void canDoTimeoutOfAnEarlierAttemptDoesNotFailTheRetry() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        WireClient timed = timedWorker("fn", "1");
        timed.grab();
        WireClient patient = sleepingWorker("fn");
        timed.close();
        patient.expect(NOOP);
        patient.grab(handle, "fn", "x");

        client.expectNothing(1_300);
        patient.send(WORK_COMPLETE, handle, "r");
        client.expect(WORK_COMPLETE, handle, "r");
    }

    @Test
    void centuriesLongCanDoTimeoutDoesNotHoldUpShorterOnes() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "", "patient");
        String handle = client.submit(SUBMIT_JOB, "fn", "", "hurried");
        WireClient patient = timedWorker("fn", "9999999999");
        patient.grab();
        WireClient hurried = timedWorker("fn", "1");
        hurried.grab(handle, "fn", "hurried");

        client.expect(WORK_FAIL, handle);
    }

    @Test
    void finishedJobsAreNotHeldUntilTheirCanDoTimeoutWouldHaveExpired() {
        WireClient client = connect();
        WireClient worker = timedWorker("fn", "3600");
        String payload = "x".repeat(512 * 1024);
        long before = usedHeapAfterGc();

        for (int i = 0; i < 200; i++) {
            String handle = client.submit(SUBMIT_JOB_BG, "fn", "", payload);
            worker.grab();
            worker.send(WORK_COMPLETE, handle, "");
        }
        worker.sync();
        assertThat((usedHeapAfterGc() - before) / (1024 * 1024)).as("MiB retained by 100 MiB of finished jobs")
                .isLessThan(40);
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** A worker that can do {@code function} within {@code seconds} (CAN_DO_TIMEOUT). */
    private WireClient timedWorker(String function, String seconds) {
        WireClient worker = connect();
        worker.send(CAN_DO_TIMEOUT, function, seconds);
        return worker;
    }
}
