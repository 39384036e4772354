package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.ERROR;
import static dev.gearfarm.gearman.protocol.PacketType.OPTION_REQ;
import static dev.gearfarm.gearman.protocol.PacketType.OPTION_RES;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_EXCEPTION;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_FAIL;

import dev.gearfarm.gearmand.engine.EngineConfig;
import org.junit.jupiter.api.Test;

/** The {@code exceptions} option: who hears WORK_EXCEPTION and who hears WORK_FAIL instead. */
class ExceptionsTest extends ServerTestSupport {

    @Test
    void optionReqExceptionsIsAcknowledged() {
        WireClient client = connect();

        client.send(OPTION_REQ, "exceptions");
        client.expectRaw(frame("\0RES", 27, "exceptions"));
    }

    @Test
    void unknownOptionIsAnError() {
        WireClient client = connect();

        client.send(OPTION_REQ, "telepathy");
        client.expect(ERROR, "UNKNOWN_OPTION", "Server does not recognize given option");
        client.sync();
    }

    @Test
    void clientWithTheOptionGetsTheExceptionAndClientWithoutGetsAPlainWorkFail() {
        WireClient worker = worker("fn");
        WireClient withOption = connect();
        withOption.send(OPTION_REQ, "exceptions");
        withOption.expect(OPTION_RES, "exceptions");
        WireClient without = connect();
        String handle = withOption.submit(SUBMIT_JOB, "fn", "same", "x");
        without.submit(SUBMIT_JOB, "fn", "same", "x");
        worker.grab();

        worker.send(WORK_EXCEPTION, handle, "boom\0details");
        withOption.expectRaw(frame("\0RES", 25, handle + "\0boom\0details"));
        without.expectRaw(frame("\0RES", 14, handle));
        withOption.expectNothingQueued();
        without.expectNothingQueued();
    }

    @Test
    void exceptionsOptionBelongsToTheConnectionThatAskedForIt() {
        WireClient worker = worker("fn");
        WireClient asker = connect();
        asker.send(OPTION_REQ, "exceptions");
        asker.expect(OPTION_RES, "exceptions");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        worker.grab();

        worker.send(WORK_EXCEPTION, handle, "boom");
        client.expect(WORK_FAIL, handle);
    }

    @Test
    void globalExceptionsFlagTurnsTheOptionOnForEveryConnection() {
        start(new EngineConfig("H:test", -1, 0, true, "test"));
        WireClient worker = worker("fn");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        worker.grab();

        worker.send(WORK_EXCEPTION, handle, "boom");
        client.expect(WORK_EXCEPTION, handle, "boom");
    }

    @Test
    void workFailAfterWorkExceptionFromTheSameWorkerIsDroppedQuietly() {
        WireClient worker = worker("fn");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        worker.grab();

        // Perl's Gearman::Worker sends both.
        worker.send(WORK_EXCEPTION, handle, "died");
        worker.send(WORK_FAIL, handle);
        worker.expectNothingQueued();
        client.expect(WORK_FAIL, handle);
        client.expectNothingQueued();
        worker.grabNothing();
    }

    @Test
    void resultForAHandleThisWorkerNeverHeldIsStillAnError() {
        WireClient worker = worker("fn");
        WireClient other = worker("fn");
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        worker.grab();

        other.send(WORK_FAIL, handle);
        other.expect(ERROR, "JOB_NOT_FOUND", "Job given in work result not found");
        client.expectNothingQueued();
    }
}
