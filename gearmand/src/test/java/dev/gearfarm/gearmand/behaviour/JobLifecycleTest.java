package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.ECHO_REQ;
import static dev.gearfarm.gearman.protocol.PacketType.ECHO_RES;
import static dev.gearfarm.gearman.protocol.PacketType.GET_STATUS;
import static dev.gearfarm.gearman.protocol.PacketType.GRAB_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.GRAB_JOB_ALL;
import static dev.gearfarm.gearman.protocol.PacketType.GRAB_JOB_UNIQ;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_ASSIGN_ALL;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_CREATED;
import static dev.gearfarm.gearman.protocol.PacketType.NO_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.STATUS_RES;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_BG;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_REDUCE_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_REDUCE_JOB_BACKGROUND;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_COMPLETE;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_DATA;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_FAIL;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_STATUS;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.protocol.Packet;
import org.junit.jupiter.api.Test;

/** A job from submission to result: what clients and workers see, byte for byte. */
class JobLifecycleTest extends ServerTestSupport {

    @Test
    void foregroundJobRoundTripsFromClientToWorkerAndBack() {
        WireClient worker = worker("reverse");
        WireClient client = connect();

        // The PROTOCOL document's worked example, bytes and all.
        client.write(frame("\0REQ", 7, "reverse\0\0test"));
        client.expectRaw(frame("\0RES", 8, "H:test:1"));

        worker.send(GRAB_JOB);
        worker.expectRaw(frame("\0RES", 11, "H:test:1\0reverse\0test"));

        worker.write(frame("\0REQ", 13, "H:test:1\0tset"));
        client.expectRaw(frame("\0RES", 13, "H:test:1\0tset"));
        worker.expectNothingQueued();
    }

    @Test
    void forwardsStatusDataAndWarningToEveryAttachedClient() {
        WireClient worker = worker("fn");
        WireClient first = connect();
        WireClient second = connect();
        String handle = first.submit(SUBMIT_JOB, "fn", "shared", "payload");
        assertThat(second.submit(SUBMIT_JOB, "fn", "shared", "payload")).isEqualTo(handle);

        worker.grab(handle, "fn", "payload");
        worker.send(WORK_STATUS, handle, "1", "4");
        worker.send(WORK_DATA, handle, "chunk\0with NUL");
        worker.send(WORK_WARNING, handle, "careful");
        worker.send(WORK_COMPLETE, handle, "done");

        for (WireClient client : new WireClient[] {first, second}) {
            client.expect(WORK_STATUS, handle, "1", "4");
            client.expect(WORK_DATA, handle, "chunk\0with NUL");
            client.expect(WORK_WARNING, handle, "careful");
            client.expect(WORK_COMPLETE, handle, "done");
            client.expectNothingQueued();
        }
        worker.expectNothingQueued();
    }

    @Test
    void getStatusOfQueuedJobIsKnownAndNotRunning() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "", "x");

        client.send(GET_STATUS, handle);
        client.expectRaw(frame("\0RES", 20, "H:test:1\0001\0000\0000\0000"));
    }

    @Test
    void getStatusOfRunningJobShowsLatestNumeratorAndDenominator() {
        WireClient worker = worker("fn");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "", "x");
        worker.grab();

        client.send(GET_STATUS, handle);
        client.expect(STATUS_RES, handle, "1", "1", "0", "0");

        worker.send(WORK_STATUS, handle, "1", "4").sync();
        worker.send(WORK_STATUS, handle, "3", "4").sync();
        client.send(GET_STATUS, handle);
        client.expectRaw(frame("\0RES", 20, "H:test:1\0001\0001\0003\0004"));
    }

    @Test
    void getStatusOfUnknownJobIsAllZeros() {
        WireClient client = connect();

        client.send(GET_STATUS, "H:test:99");
        client.expectRaw(frame("\0RES", 20, "H:test:99\0000\0000\0000\0000"));
    }

    @Test
    void getStatusOfFinishedJobIsAllZeros() {
        WireClient worker = worker("fn");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "", "x");
        worker.grab();
        worker.send(WORK_COMPLETE, handle, "").sync();

        client.send(GET_STATUS, handle);
        client.expect(STATUS_RES, handle, "0", "0", "0", "0");
    }

    @Test
    void grabJobAssignsHandleFunctionAndData() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "u-1", "data\0bytes");
        WireClient worker = worker("fn");

        worker.send(GRAB_JOB);
        worker.expectRaw(frame("\0RES", 11, "H:test:1\0fn\0data\0bytes"));
    }

    @Test
    void grabJobUniqAssignsTheUniqueToo() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "u-1", "data");
        WireClient worker = worker("fn");

        worker.send(GRAB_JOB_UNIQ);
        worker.expectRaw(frame("\0RES", 31, "H:test:1\0fn\0u-1\0data"));
    }

    @Test
    void grabJobAllWithoutReducerAnswersJobAssignUniq() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "u-1", "data");
        WireClient worker = worker("fn");

        worker.send(GRAB_JOB_ALL);
        worker.expectRaw(frame("\0RES", 31, "H:test:1\0fn\0u-1\0data"));
    }

    @Test
    void grabJobAllWithReducerAnswersJobAssignAll() {
        WireClient client = connect();
        client.send(SUBMIT_REDUCE_JOB, "fn", "u-R", "myreducer", "", "dataR");
        client.expect(JOB_CREATED, "H:test:1");
        WireClient worker = worker("fn");

        worker.send(GRAB_JOB_ALL);
        worker.expectRaw(frame("\0RES", 40, "H:test:1\0fn\0u-R\0myreducer\0dataR"));
    }

    @Test
    void reduceJobGrabbedWithPlainGrabJobLosesOnlyTheReducer() {
        WireClient client = connect();
        client.send(SUBMIT_REDUCE_JOB, "fn", "u-R", "myreducer", "", "dataR");
        String handle = client.expect(JOB_CREATED).argString(0);
        WireClient worker = worker("fn");

        worker.grab(handle, "fn", "dataR");
        worker.send(WORK_COMPLETE, handle, "reduced");
        client.expect(WORK_COMPLETE, handle, "reduced");
    }

    @Test
    void submitReduceJobTakesFourNulSeparatedFieldsBeforeTheData() {
        WireClient client = connect();
        // func \0 unique \0 reducer \0 aggregator \0 data; the aggregator is ignored, the data keeps its NULs.
        client.write(frame("\0REQ", 37, "fn\0u\0red\0agg\0da\0ta\0\0"));
        String handle = client.expect(JOB_CREATED).argString(0);
        WireClient worker = worker("fn");

        worker.send(GRAB_JOB_ALL);
        worker.expect(JOB_ASSIGN_ALL, handle, "fn", "u", "red", "da\0ta\0\0");
        worker.send(WORK_COMPLETE, handle, "r");
        client.expect(WORK_COMPLETE, handle, "r");
    }

    @Test
    void backgroundReduceJobRunsWithoutAClient() {
        WireClient client = connect();
        client.send(SUBMIT_REDUCE_JOB_BACKGROUND, "fn", "u", "red", "", "data");
        String handle = client.expect(JOB_CREATED).argString(0);
        client.close();
        WireClient worker = worker("fn");

        worker.send(GRAB_JOB_ALL);
        worker.expect(JOB_ASSIGN_ALL, handle, "fn", "u", "red", "data");
    }

    @Test
    void backgroundJobRunsAfterItsClientLeftAndNobodyHearsTheResult() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "", "data");
        client.close();
        WireClient worker = worker("fn");

        worker.grab(handle, "fn", "data");
        worker.send(WORK_COMPLETE, handle, "result").sync();
        WireClient admin = connect();
        assertThat(admin.adminList("status")).isEqualTo("fn\t0\t0\t1\n.\n");
    }

    @Test
    void workFailFromWorkerIsForwardedAndEndsTheJob() {
        WireClient worker = worker("fn");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "data");
        worker.grab();

        worker.send(WORK_FAIL, handle);
        client.expectRaw(frame("\0RES", 14, "H:test:1"));
        worker.grabNothing();
    }

    @Test
    void workerWithNothingToDoGetsNoJob() {
        WireClient worker = worker("fn");

        worker.grabNothing();
        worker.send(GRAB_JOB_UNIQ);
        worker.expect(NO_JOB);
        worker.send(GRAB_JOB_ALL);
        worker.expect(NO_JOB);
    }

    @Test
    void workerOnlyGetsJobsOfFunctionsItCanDo() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "other", "", "x");
        WireClient worker = worker("fn");

        worker.grabNothing();
    }

    @Test
    void handlesCountUpFromOne() {
        WireClient client = connect();

        assertThat(client.submit(SUBMIT_JOB_BG, "fn", "", "a")).isEqualTo("H:test:1");
        assertThat(client.submit(SUBMIT_JOB_BG, "other", "", "b")).isEqualTo("H:test:2");
        assertThat(client.submit(SUBMIT_JOB, "fn", "", "c")).isEqualTo("H:test:3");
    }

    @Test
    void pipelinedSubmissionsAreAnsweredInOrder() {
        WireClient client = connect();

        client.send(Packet.request(SUBMIT_JOB_BG, "fn", "", "1"), Packet.request(SUBMIT_JOB_BG, "fn", "", "2"),
                Packet.request(SUBMIT_JOB_BG, "fn", "", "3"));
        client.expect(JOB_CREATED, "H:test:1");
        client.expect(JOB_CREATED, "H:test:2");
        client.expect(JOB_CREATED, "H:test:3");
    }

    @Test
    void echoReturnsTheDataVerbatim() {
        WireClient client = connect();

        client.send(ECHO_REQ, "a\0b\0\0c");
        client.expect(ECHO_RES, "a\0b\0\0c");
        client.send(ECHO_REQ, "");
        client.expect(ECHO_RES, "");
    }

    @Test
    void queuedForegroundJobIsDroppedWhenItsOnlyClientLeaves() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB, "fn", "", "x");
        WireClient admin = connect();
        assertThat(admin.adminList("status")).isEqualTo("fn\t1\t0\t0\n.\n");

        client.close();
        awaitList(admin, "status", "fn\t0\t0\t0\n.\n");
        WireClient worker = worker("fn");
        worker.grabNothing();
    }

    @Test
    void runningForegroundJobWhoseClientLeftStillFinishesQuietly() {
        WireClient worker = worker("fn");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        worker.grab();
        client.close();
        WireClient admin = connect();
        awaitList(admin, "workers", "1 127.0.0.1 - : fn\n3 127.0.0.1 - :\n.\n");

        worker.send(WORK_COMPLETE, handle, "nobody listens").sync();
        assertThat(admin.adminList("status")).isEqualTo("fn\t0\t0\t1\n.\n");
    }

    @Test
    void jobWithoutUniqueIsAssignedAnEmptyUniqueField() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "", "data");
        WireClient worker = worker("fn");

        worker.send(GRAB_JOB_UNIQ);
        worker.expectRaw(frame("\0RES", 31, "H:test:1\0fn\0\0data"));
    }

    @Test
    void oneConnectionCanBeClientAndWorkerOfTheSameJob() {
        WireClient both = worker("fn");
        String handle = both.submit(SUBMIT_JOB, "fn", "", "to myself");

        both.grab(handle, "fn", "to myself");
        both.send(WORK_COMPLETE, handle, "from myself");
        both.expect(WORK_COMPLETE, handle, "from myself");
    }
}
