package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.GET_STATUS_UNIQUE;
import static dev.gearfarm.gearman.protocol.PacketType.STATUS_RES_UNIQUE;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_BG;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_HIGH;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_COMPLETE;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Submissions with the same function and unique id share one job. */
class CoalescingTest extends ServerTestSupport {

    @Test
    void sameUniqueGetsTheSameHandle() {
        WireClient client = connect();

        String handle = client.submit(SUBMIT_JOB_BG, "fn", "same", "a");
        assertThat(client.submit(SUBMIT_JOB_BG, "fn", "same", "a")).isEqualTo(handle);
        assertThat(connect().submit(SUBMIT_JOB_BG, "fn", "same", "a")).isEqualTo(handle);
        assertThat(client.adminList("status")).isEqualTo("fn\t1\t0\t0\n.\n");
    }

    @Test
    void everyForegroundSubmitterGetsTheResultEvenOneThatJoinedWhileItRan() {
        WireClient worker = worker("fn");
        WireClient first = connect();
        WireClient second = connect();
        String handle = first.submit(SUBMIT_JOB, "fn", "same", "first");
        assertThat(second.submit(SUBMIT_JOB_HIGH, "fn", "same", "second")).isEqualTo(handle);
        worker.grab(handle, "fn", "first");
        WireClient late = connect();
        assertThat(late.submit(SUBMIT_JOB, "fn", "same", "late")).isEqualTo(handle);

        worker.send(WORK_COMPLETE, handle, "RESULT");
        for (WireClient client : new WireClient[] {first, second, late}) {
            client.expect(WORK_COMPLETE, handle, "RESULT");
        }
    }

    @Test
    void connectionThatSubmitsTheSameUniqueTwiceGetsOneResultPerSubmission() {
        WireClient worker = worker("fn");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "something", "2:a");
        assertThat(client.submit(SUBMIT_JOB, "fn", "something", "2:b")).isEqualTo(handle);
        worker.grab(handle, "fn", "2:a");

        worker.send(WORK_COMPLETE, handle, "a");
        client.expect(WORK_COMPLETE, handle, "a");
        client.expect(WORK_COMPLETE, handle, "a");
        client.expectNothingQueued();
    }

    @Test
    void secondSubmissionsPayloadIsDiscarded() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "same", "first");
        client.submit(SUBMIT_JOB_BG, "fn", "same", "second");
        WireClient worker = worker("fn");

        worker.grab(handle, "fn", "first");
        worker.grabNothing();
    }

    @Test
    void dashUniqueCoalescesOnTheData() {
        WireClient client = connect();

        String handle = client.submit(SUBMIT_JOB_BG, "fn", "-", "payload");
        assertThat(client.submit(SUBMIT_JOB_BG, "fn", "-", "payload")).isEqualTo(handle);
        assertThat(client.submit(SUBMIT_JOB_BG, "fn", "-", "other payload")).isNotEqualTo(handle);
    }

    @Test
    void dashUniqueWithEmptyDataNeverCoalesces() {
        WireClient client = connect();

        String handle = client.submit(SUBMIT_JOB_BG, "fn", "-", "");
        assertThat(client.submit(SUBMIT_JOB_BG, "fn", "-", "")).isNotEqualTo(handle);
    }

    @Test
    void emptyUniqueNeverCoalesces() {
        WireClient client = connect();

        String handle = client.submit(SUBMIT_JOB_BG, "fn", "", "same data");
        assertThat(client.submit(SUBMIT_JOB_BG, "fn", "", "same data")).isNotEqualTo(handle);
        assertThat(client.adminList("status")).isEqualTo("fn\t2\t0\t0\n.\n");
    }

    @Test
    void uniqueIsScopedPerFunction() {
        WireClient client = connect();

        String one = client.submit(SUBMIT_JOB_BG, "one", "same", "x");
        String two = client.submit(SUBMIT_JOB_BG, "two", "same", "x");
        assertThat(two).isNotEqualTo(one);
    }

    @Test
    void uniqueIsFreeAgainOnceTheJobFinished() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "same", "x");
        WireClient worker = worker("fn");
        worker.grab();
        worker.send(WORK_COMPLETE, handle, "").sync();

        assertThat(client.submit(SUBMIT_JOB_BG, "fn", "same", "x")).isNotEqualTo(handle);
    }

    @Test
    void getStatusUniqueCountsTheWaitingClients() {
        WireClient first = connect();
        WireClient second = connect();
        first.submit(SUBMIT_JOB, "fn", "same", "x");
        second.submit(SUBMIT_JOB, "fn", "same", "x");

        first.send(GET_STATUS_UNIQUE, "same");
        first.expectRaw(frame("\0RES", 42, "same\0001\0000\0000\0000\0002"));
    }

    @Test
    void getStatusUniqueOfRunningJobShowsItsProgress() {
        WireClient worker = worker("fn");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "uniq-A", "x");
        worker.grab();
        worker.send(WORK_STATUS, handle, "2", "5");
        client.expect(WORK_STATUS);

        client.send(GET_STATUS_UNIQUE, "uniq-A");
        client.expect(STATUS_RES_UNIQUE, "uniq-A", "1", "1", "2", "5", "1");
    }

    @Test
    void getStatusUniqueOfBackgroundJobHasNoClients() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "bg", "x");

        client.send(GET_STATUS_UNIQUE, "bg");
        client.expect(STATUS_RES_UNIQUE, "bg", "1", "0", "0", "0", "0");
    }

    @Test
    void getStatusUniqueFindsTheJobWhateverItsFunction() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "elsewhere", "u", "x");

        client.send(GET_STATUS_UNIQUE, "u");
        client.expect(STATUS_RES_UNIQUE, "u", "1", "0", "0", "0", "0");
    }

    @Test
    void getStatusUniqueOfUnknownUniqueIsAllZeros() {
        WireClient client = connect();

        client.send(GET_STATUS_UNIQUE, "nouniq");
        client.expectRaw(frame("\0RES", 42, "nouniq\0000\0000\0000\0000\0000"));
    }

    @Test
    void backgroundJobSurvivesWhenForegroundClientThatJoinedItLeaves() {
        WireClient submitter = connect();
        String handle = submitter.submit(SUBMIT_JOB_BG, "fn", "same", "x");
        WireClient joiner = connect();
        assertThat(joiner.submit(SUBMIT_JOB, "fn", "same", "x")).isEqualTo(handle);
        joiner.close();
        WireClient admin = connect();
        awaitList(admin, "workers", "1 127.0.0.1 - :\n3 127.0.0.1 - :\n.\n");

        assertThat(admin.adminList("status")).isEqualTo("fn\t1\t0\t0\n.\n");
        WireClient worker = worker("fn");
        worker.grab(handle, "fn", "x");
    }

    @Test
    void foregroundJobThatBackgroundSubmissionJoinedSurvivesItsClientLeaving() {
        WireClient foreground = connect();
        String handle = foreground.submit(SUBMIT_JOB, "fn", "same", "x");
        WireClient background = connect();
        assertThat(background.submit(SUBMIT_JOB_BG, "fn", "same", "x")).isEqualTo(handle);
        foreground.close();
        WireClient admin = connect();
        awaitList(admin, "workers", "2 127.0.0.1 - :\n3 127.0.0.1 - :\n.\n");

        WireClient worker = worker("fn");
        worker.grab(handle, "fn", "x");
    }

    @Test
    void foregroundJobStaysWhileAnyOfItsClientsRemains() {
        WireClient first = connect();
        WireClient second = connect();
        String handle = first.submit(SUBMIT_JOB, "fn", "same", "x");
        second.submit(SUBMIT_JOB, "fn", "same", "x");
        first.close();
        WireClient admin = connect();
        awaitList(admin, "workers", "2 127.0.0.1 - :\n3 127.0.0.1 - :\n.\n");

        WireClient worker = worker("fn");
        worker.grab(handle, "fn", "x");
        worker.send(WORK_COMPLETE, handle, "r");
        second.expect(WORK_COMPLETE, handle, "r");
    }
}
