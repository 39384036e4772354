package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.ECHO_REQ;
import static dev.gearfarm.gearman.protocol.PacketType.ECHO_RES;
import static dev.gearfarm.gearman.protocol.PacketType.ERROR;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_ASSIGN;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_CREATED;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_BG;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_HIGH;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_HIGH_BG;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_LOW;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_LOW_BG;
import static dev.gearfarm.gearman.protocol.PacketType.WORK_COMPLETE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import java.nio.ByteBuffer;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Requests the server cannot serve get an ERROR packet in C gearmand's words, and the connection lives on. */
class ErrorRepliesTest extends ServerTestSupport {

    private static final String UNIQUE_64 = "u".repeat(64);

    @Test
    void requestWithResponseMagicIsRejectedAndTheConnectionKeepsWorking() {
        WireClient client = connect();

        client.write(frame("\0RES", 7, "fn\0\0data"));
        client.expectRaw(frame("\0RES", 19, "INVALID_MAGIC\0Request magic expected"));
        client.sync();
        assertThat(client.adminList("status")).isEqualTo(".\n");
    }

    @ParameterizedTest
    @EnumSource(names = {"NOOP", "ALL_YOURS", "SUBMIT_JOB_SCHED", "JOB_CREATED", "NO_JOB", "JOB_ASSIGN", "ERROR",
        "STATUS_RES", "ECHO_RES", "OPTION_RES", "JOB_ASSIGN_UNIQ", "JOB_ASSIGN_ALL", "STATUS_RES_UNIQUE"})
    void typeTheServerDoesNotTakeAsARequestIsNotExpected(PacketType type) {
        WireClient client = connect();

        client.send(Packet.request(type, Collections.nCopies(type.argCount(), "a").toArray()));
        client.expectRaw(frame("\0RES", 19, "INVALID_COMMAND\0Command not expected"));
        client.sync();
    }

    @Test
    void submitJobSchedIsNotExpected() {
        WireClient client = connect();

        client.write(frame("\0REQ", 35, "fn\0u\0" + "0\0" + "0\0" + "1\0" + "1\0" + "0\0data"));
        client.expect(ERROR, "INVALID_COMMAND", "Command not expected");
        assertThat(client.adminList("show jobs")).isEqualTo(".\n");
    }

    @ParameterizedTest
    @EnumSource(names = {"SUBMIT_JOB", "SUBMIT_JOB_BG", "SUBMIT_JOB_HIGH", "SUBMIT_JOB_HIGH_BG", "SUBMIT_JOB_LOW",
        "SUBMIT_JOB_LOW_BG"})
    void uniqueOf65BytesIsTooLargeAnd64Fits(PacketType type) {
        WireClient client = connect();

        client.send(type, "fn", UNIQUE_64 + "x", "data");
        client.expectRaw(frame("\0RES", 19, "ARGUMENT_TOO_LARGE\0Unique value too large"));
        client.send(type, "fn", UNIQUE_64, "data");
        client.expect(JOB_CREATED, "H:test:1");
    }

    @Test
    void reduceAndEpochSubmissionsCheckTheUniqueToo() {
        WireClient client = connect();

        client.send(PacketType.SUBMIT_REDUCE_JOB, "fn", UNIQUE_64 + "x", "red", "", "data");
        client.expect(ERROR, "ARGUMENT_TOO_LARGE", "Unique value too large");
        client.send(PacketType.SUBMIT_REDUCE_JOB_BACKGROUND, "fn", UNIQUE_64 + "x", "red", "", "data");
        client.expect(ERROR, "ARGUMENT_TOO_LARGE", "Unique value too large");
        client.send(PacketType.SUBMIT_JOB_EPOCH, "fn", UNIQUE_64 + "x", "1000000000", "data");
        client.expect(ERROR, "ARGUMENT_TOO_LARGE", "Unique value too large");
        assertThat(client.adminList("show jobs")).isEqualTo(".\n");
    }

    @ParameterizedTest
    @EnumSource(names = {"WORK_COMPLETE", "WORK_FAIL", "WORK_EXCEPTION", "WORK_STATUS"})
    void workResultForUnknownHandleIsNotFound(PacketType type) {
        WireClient worker = worker("fn");

        worker.send(Packet.request(type, workArgs(type, "H:test:42")));
        worker.expectRaw(frame("\0RES", 19, "JOB_NOT_FOUND\0Job given in work result not found"));
        worker.sync();
    }

    @ParameterizedTest
    @EnumSource(names = {"WORK_DATA", "WORK_WARNING"})
    void workDataForUnknownHandleDoesNotExist(PacketType type) {
        WireClient worker = worker("fn");

        worker.send(type, "H:test:42", "chunk");
        worker.expectRaw(frame("\0RES", 19, "JOB_NOT_FOUND\0Job does not exist on server"));
        worker.sync();
    }

    @Test
    void workResultForAJobHeldByAnotherWorkerIsNotFound() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        WireClient holder = worker("fn");
        holder.grab();
        WireClient impostor = worker("fn");

        impostor.send(WORK_COMPLETE, handle, "fake");
        impostor.expect(ERROR, "JOB_NOT_FOUND", "Job given in work result not found");
        client.expectNothingQueued();
        holder.send(WORK_COMPLETE, handle, "real");
        client.expect(WORK_COMPLETE, handle, "real");
    }

    @Test
    void workResultForAQueuedJobIsNotFound() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB, "fn", "", "x");
        WireClient worker = worker("fn");

        worker.send(WORK_COMPLETE, handle, "never assigned");
        worker.expect(ERROR, "JOB_NOT_FOUND", "Job given in work result not found");
        client.expectNothingQueued();
    }

    @Test
    void submissionToAFullQueueIsRefused() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "", "1");
        assertThat(client.admin("maxqueue fn 1")).isEqualTo("OK\r\n");

        client.send(SUBMIT_JOB_BG, "fn", "", "2");
        client.expectRaw(frame("\0RES", 19, "QUEUE_ERROR\0Job queue is full"));
        client.send(SUBMIT_JOB, "fn", "", "3");
        client.expect(ERROR, "QUEUE_ERROR", "Job queue is full");
        assertThat(client.adminList("status")).isEqualTo("fn\t1\t0\t0\n.\n");
    }

    @Test
    void fullQueueStillCoalescesOntoItsExistingJob() {
        WireClient client = connect();
        String handle = client.submit(SUBMIT_JOB_BG, "fn", "same", "1");
        client.admin("maxqueue fn 1");

        assertThat(client.submit(SUBMIT_JOB, "fn", "same", "1")).isEqualTo(handle);
    }

    @Test
    void queueLimitCountsRunningJobsToo() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "", "1");
        client.admin("maxqueue fn 1");
        WireClient worker = worker("fn");
        worker.grab();

        client.send(SUBMIT_JOB_BG, "fn", "", "2");
        client.expect(ERROR, "QUEUE_ERROR", "Job queue is full");
    }

    @Test
    void queueLimitIsPerPriority() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "fn", "", "1");
        assertThat(client.admin("maxqueue fn 3 1 2")).isEqualTo("OK\r\n");

        client.send(SUBMIT_JOB_BG, "fn", "", "normal");
        client.expect(ERROR, "QUEUE_ERROR", "Job queue is full");
        client.submit(SUBMIT_JOB_LOW_BG, "fn", "", "low");
        client.send(SUBMIT_JOB_LOW, "fn", "", "low again");
        client.expect(ERROR, "QUEUE_ERROR", "Job queue is full");
        client.submit(SUBMIT_JOB_HIGH_BG, "fn", "", "high");
        client.send(SUBMIT_JOB_HIGH, "fn", "", "high again");
        client.expect(ERROR, "QUEUE_ERROR", "Job queue is full");
    }

    @Test
    void packetWithTooFewArgumentsIsAnErrorThatDoesNotSwallowTheNextPacket() {
        WireClient client = connect();

        // The PROTOCOL document's 3-NUL reduce job, which desynchronises C gearmand, then an ECHO.
        byte[] reduce = frame("\0REQ", 38, "fn\0u\0red\0data");
        byte[] echo = frame("\0REQ", 16, "still here");
        client.write(ByteBuffer.allocate(reduce.length + echo.length).put(reduce).put(echo).array());

        assertThat(client.expect(ERROR).argString(0)).isEqualTo("INVALID_ARGUMENT");
        client.expect(ECHO_RES, "still here");
        assertThat(client.adminList("show jobs")).isEqualTo(".\n");
    }

    @Test
    void submissionWithoutAFunctionNameIsRefused() {
        WireClient client = connect();

        client.send(SUBMIT_JOB, "", "", "x");
        assertThat(client.expect(ERROR).argString(0)).isEqualTo("INVALID_FUNCTION_NAME");
        client.send(ECHO_REQ, "ok");
        client.expect(ECHO_RES, "ok");
        assertThat(client.adminList("status")).isEqualTo(".\n");
    }

    private static Object[] workArgs(PacketType type, String handle) {
        Object[] args = new Object[type.argCount()];
        args[0] = handle;
        for (int i = 1; i < args.length; i++) {
            args[i] = "1";
        }
        return args;
    }

    @Test
    void functionNameOf512BytesFitsAnd513IsRefused() {
        WireClient client = connect();

        client.submit(SUBMIT_JOB_BG, "f".repeat(512), "", "x");
        client.send(SUBMIT_JOB_BG, "f".repeat(513), "", "x");
        assertThat(client.expect(ERROR).argString(0)).isEqualTo("INVALID_FUNCTION_NAME");
        client.send(PacketType.CAN_DO, "f".repeat(513));
        assertThat(client.expect(ERROR).argString(0)).isEqualTo("INVALID_FUNCTION_NAME");
        assertThat(client.adminList("status")).isEqualTo("f".repeat(512) + "\t1\t0\t0\n.\n");
    }
}
