package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.ERROR;
import static dev.gearfarm.gearman.protocol.PacketType.GET_STATUS;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_CREATED;
import static dev.gearfarm.gearman.protocol.PacketType.NOOP;
import static dev.gearfarm.gearman.protocol.PacketType.PRE_SLEEP;
import static dev.gearfarm.gearman.protocol.PacketType.STATUS_RES;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_EPOCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SUBMIT_JOB_EPOCH: a background job that becomes runnable at a Unix time. */
class ScheduledJobTest extends ServerTestSupport {

    @Test
    void epochJobIsHeldUntilDueThenWakesASleepingWorker() {
        WireClient worker = worker("fn");
        WireClient client = connect();
        // Due between 0.5 and 1.5 s from now: a whole second, with room for the first GRAB to come early.
        long due = (System.currentTimeMillis() + 1500) / 1000;
        client.send(SUBMIT_JOB_EPOCH, "fn", "", Long.toString(due), "later");
        String handle = client.expect(JOB_CREATED).argString(0);

        worker.grabNothing();
        worker.send(PRE_SLEEP);
        worker.expect(NOOP);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(due * 1000);

        worker.grab(handle, "fn", "later");
    }

    @Test
    void epochInThePastRunsAtOnce() {
        WireClient client = connect();
        client.send(SUBMIT_JOB_EPOCH, "fn", "", "1000000000", "overdue");
        String handle = client.expect(JOB_CREATED).argString(0);
        WireClient worker = worker("fn");

        worker.grab(handle, "fn", "overdue");
    }

    @Test
    void scheduledJobIsCountedAsAQueuedBackgroundJob() {
        WireClient client = connect();
        client.send(SUBMIT_JOB_EPOCH, "fn", "u", Long.toString(System.currentTimeMillis() / 1000 + 3600), "x");
        String handle = client.expect(JOB_CREATED).argString(0);

        assertThat(client.adminList("status")).isEqualTo("fn\t1\t0\t0\n.\n");
        assertThat(client.adminList("show jobs")).isEqualTo(handle + "\t0\t0\t1\n.\n");
        client.send(GET_STATUS, handle);
        client.expect(STATUS_RES, handle, "1", "0", "0", "0");
    }

    @Test
    void cancelledScheduledJobNeverRuns() {
        WireClient client = connect();
        long due = (System.currentTimeMillis() + 1500) / 1000;
        client.send(SUBMIT_JOB_EPOCH, "fn", "", Long.toString(due), "x");
        String handle = client.expect(JOB_CREATED).argString(0);

        assertThat(client.admin("cancel job " + handle)).isEqualTo("OK\r\n");
        assertThat(client.adminList("status")).isEqualTo("fn\t0\t0\t0\n.\n");
        WireClient worker = sleepingWorker("fn");
        worker.expectNothing(1500);
    }

    @Test
    void epochThatIsNotANumberIsRefused() {
        WireClient client = connect();

        client.send(SUBMIT_JOB_EPOCH, "fn", "", "tomorrow", "x");
        assertThat(client.expect(ERROR).argString(0)).isEqualTo("INVALID_ARGUMENT");
        assertThat(client.adminList("show jobs")).isEqualTo(".\n");
    }

    @Test
    void epochBeyondTheClockRangeLeavesTheEngineIdle() throws InterruptedException {
        WireClient client = connect();
        client.send(SUBMIT_JOB_EPOCH, "fn", "", Long.toString(Long.MAX_VALUE), "never");
        client.expect(JOB_CREATED);

        assertThat(engineCpuMillisOver(300)).as("engine thread CPU time in 300 ms").isLessThan(50);
        client.sync();
    }

    /** CPU time the engine thread uses while the test sleeps for {@code millis}. */
    private static long engineCpuMillisOver(int millis) throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Thread> engines = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("gearmand-engine")).toList();
        assumeTrue(engines.size() == 1, "the engine runs inline on the I/O thread, which ticks; nothing parks");
        long id = engines.get(0).getId();
        long before = threads.getThreadCpuTime(id);
        Thread.sleep(millis);
        return (threads.getThreadCpuTime(id) - before) / 1_000_000;
    }
}
