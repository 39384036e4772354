package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.CANT_DO;
import static dev.gearfarm.gearman.protocol.PacketType.CAN_DO;
import static dev.gearfarm.gearman.protocol.PacketType.NOOP;
import static dev.gearfarm.gearman.protocol.PacketType.PRE_SLEEP;
import static dev.gearfarm.gearman.protocol.PacketType.RESET_ABILITIES;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_BG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearmand.engine.EngineConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PRE_SLEEP and NOOP: sleeping workers are woken once when there is work for them. */
class WorkerSleepTest extends ServerTestSupport {

    @Test
    void sleepingWorkerGetsOneNoopForTwoSubmissions() {
        WireClient worker = sleepingWorker("fn");
        WireClient client = connect();

        client.submit(SUBMIT_JOB_BG, "fn", "", "1");
        client.submit(SUBMIT_JOB_BG, "fn", "", "2");
        worker.expect(NOOP);
        worker.expectNothingQueued();
    }

    @Test
    void preSleepWithAJobQueuedGetsAnImmediateNoop() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "", "x");
        WireClient worker = worker("fn");

        worker.send(PRE_SLEEP);
        worker.expect(NOOP);
    }

    @Test
    void eachSleepGetsItsOwnNoop() {
        WireClient worker = sleepingWorker("fn");
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "", "1");
        worker.expect(NOOP);
        worker.grab();
        worker.grabNothing();

        worker.send(PRE_SLEEP).sync();
        client.submit(SUBMIT_JOB_BG, "fn", "", "2");
        worker.expect(NOOP);
        worker.expectNothingQueued();
    }

    @Test
    void sleepingWorkerIsNotWokenForAnotherFunction() {
        WireClient worker = sleepingWorker("fn");
        WireClient client = connect();

        client.submit(SUBMIT_JOB_BG, "other", "", "x");
        worker.expectNothingQueued();
    }

    @Test
    void workerThatIsNotSleepingGetsNoNoop() {
        WireClient worker = worker("fn");
        WireClient client = connect();

        client.submit(SUBMIT_JOB, "fn", "", "x");
        worker.expectNothingQueued();
    }

    @Test
    void sleepingWorkerThatLearnsAFunctionWithQueuedJobsIsWoken() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "later", "", "x");
        WireClient worker = sleepingWorker("fn");

        worker.send(CAN_DO, "later");
        worker.expect(NOOP);
    }

    @Test
    void everySleeperIsWokenByDefault() {
        List<WireClient> workers = List.of(sleepingWorker("fn"), sleepingWorker("fn"), sleepingWorker("fn"));
        WireClient client = connect();

        client.submit(SUBMIT_JOB_BG, "fn", "", "x");
        for (WireClient worker : workers) {
            worker.expect(NOOP);
        }
    }

    @Test
    void workerWakeupLimitsSleepersWokenPerJob() {
        start(new EngineConfig("H:test", -1, 1, false, "test"));
        WireClient first = sleepingWorker("fn");
        WireClient second = sleepingWorker("fn");
        WireClient client = connect();

        client.submit(SUBMIT_JOB_BG, "fn", "", "1");
        first.expect(NOOP);
        second.expectNothingQueued();

        client.submit(SUBMIT_JOB_BG, "fn", "", "2");
        second.expect(NOOP);
        first.expectNothingQueued();
    }

    @Test
    void wokenWorkerCanGrabTheJobThatWokeIt() {
        WireClient worker = sleepingWorker("fn");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        worker.expect(NOOP);

        worker.grab(handle, "fn", "x");
        assertThat(client.adminList("status")).isEqualTo("fn\t1\t1\t1\n.\n");
    }

    @Test
    void sleepingWorkerIsNotWokenForAFunctionItGaveUp() {
        WireClient worker = sleepingWorker("kept", "dropped");
        worker.send(CANT_DO, "dropped").sync();
        WireClient client = connect();

        client.submit(SUBMIT_JOB_BG, "dropped", "", "x");
        worker.expectNothingQueued();
        client.submit(SUBMIT_JOB_BG, "kept", "", "y");
        worker.expect(NOOP);
    }

    @Test
    void sleepingWorkerThatResetsItsAbilitiesIsStillAsleep() {
        WireClient worker = sleepingWorker("old");
        worker.send(RESET_ABILITIES);
        worker.canDo("new");
        WireClient client = connect();

        client.submit(SUBMIT_JOB_BG, "old", "", "x");
        worker.expectNothingQueued();
        client.submit(SUBMIT_JOB_BG, "new", "", "y");
        worker.expect(NOOP);
    }

    @Test
    void sleeperThatDisconnectedDoesNotUseUpTheWakeupLimit() {
        start(new EngineConfig("H:test", -1, 1, false, "test"));
        WireClient gone = sleepingWorker("fn");
        WireClient stays = sleepingWorker("fn");
        gone.close();
        WireClient admin = connect();
        awaitList(admin, "status", "fn\t0\t0\t1\n.\n");

        admin.submit(SUBMIT_JOB_BG, "fn", "", "x");
        stays.expect(NOOP);
    }
}
