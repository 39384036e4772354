package dev.gearfarm.gearman.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.GearmanException;
import dev.gearfarm.gearman.GearmanTimeoutException;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link GearmanAdmin} against a scripted server replying with C gearmand 1.1.20's exact bytes. */
class GearmanAdminTest {
    private ScriptedAdminServer server;
    private GearmanAdmin admin;

    @BeforeEach
    void startServer() throws Exception {
        server = ScriptedAdminServer.start();
    }

    @AfterEach
    void stopServer() throws Exception {
        if (admin != null) {
            admin.close();
        }
        server.close();
    }

    private GearmanAdmin connect() {
        admin = GearmanAdmin.connect(server.options().build());
        return admin;
    }

    private GearmanAdmin connect(Duration responseTimeout) {
        admin = GearmanAdmin.connect(server.options().responseTimeout(responseTimeout).build());
        return admin;
    }

    // --- lists

    @Test
    void statusParsesEveryFunctionInTheServersOrder() {
        server.on("status", "probe_rev\t1\t1\t1\nprobe_fn\t0\t0\t0\n.\n");
        assertThat(connect().status()).containsExactly(new FunctionStatus("probe_rev", 1, 1, 1),
                new FunctionStatus("probe_fn", 0, 0, 0));
        assertThat(server.received()).containsExactly("status\r\n");
    }

    @Test
    void statusOfAnIdleServerIsEmpty() {
        server.on("status", ".\n");
        assertThat(connect().status()).isEmpty();
    }

    @Test
    void statusKeepsTheEmptyFunctionNameCGearmandCreatesFromAOneLetterName() {
        // C's "create function a\n" (bare \n) creates "" and lists it like any other function.
        server.on("status", "\t0\t0\t0\nmade_her\t0\t0\t0\n.\n");
        assertThat(connect().status()).containsExactly(new FunctionStatus("", 0, 0, 0),
                new FunctionStatus("made_her", 0, 0, 0));
    }

    @Test
    void listLinesMayEndInCrLf() {
        server.on("status", "f1\t1\t0\t2\r\nf2\t0\t0\t0\r\n.\r\n");
        assertThat(connect().status()).extracting(FunctionStatus::name).containsExactly("f1", "f2");
    }

    @Test
    void priorityStatusParsesQueuedJobsByPriority() {
        server.on("prioritystatus", "queued_fn\t1\t2\t3\t0\nrev\t0\t0\t0\t1\n.\n");
        assertThat(connect().priorityStatus()).containsExactly(new PriorityStatus("queued_fn", 1, 2, 3, 0),
                new PriorityStatus("rev", 0, 0, 0, 1));
    }

    @Test
    void workersParsesConnectionsWithAndWithoutFunctions() {
        server.on("workers", "38 127.0.0.1 probe-worker-1 : probe_rev\n40 127.0.0.1 - :\n"
                + "41 ::1 w2 : a b c\n.\n");
        assertThat(connect().workers()).containsExactly(
                new WorkerInfo(38, "127.0.0.1", "probe-worker-1", List.of("probe_rev")),
                new WorkerInfo(40, "127.0.0.1", "", List.of()),
                new WorkerInfo(41, "::1", "w2", List.of("a", "b", "c")));
    }

    @Test
    void workersAcceptsThePerlServersTrailingSpace() {
        server.on("workers", "5 127.0.0.1 - : \n6 10.0.0.1 abc : f1 f2 \n.\n");
        assertThat(connect().workers()).containsExactly(new WorkerInfo(5, "127.0.0.1", "", List.of()),
                new WorkerInfo(6, "10.0.0.1", "abc", List.of("f1", "f2")));
    }

    @Test
    void workersKeepsSpacesInsideAClientId() {
        server.on("workers", "7 127.0.0.1 my worker : f\n.\n");
        assertThat(connect().workers()).containsExactly(new WorkerInfo(7, "127.0.0.1", "my worker", List.of("f")));
    }

    @Test
    void showJobsParsesHandlesAndFlags() {
        server.on("show jobs", "H:vm:15\t1\t0\t0\nH:vm:6\t0\t1\t1\n.\n");
        assertThat(connect().showJobs()).containsExactly(new JobInfo("H:vm:15", 1, false, false),
                new JobInfo("H:vm:6", 0, true, true));
        assertThat(server.received()).containsExactly("show jobs\r\n");
    }

    @Test
    void showUniqueJobsKeepsTheEmptyLinesOfJobsWithoutUnique() {
        server.on("show unique jobs", "uq-high\n\nuq-low\n.\n");
        assertThat(connect().showUniqueJobs()).containsExactly("uq-high", "", "uq-low");
    }

    // --- single values

    @Test
    void versionStripsOk() {
        server.on("version", "OK 1.1.20+ds\n");
        assertThat(connect().version()).isEqualTo("1.1.20+ds");
    }

    @Test
    void versionAcceptsThePerlServersBareVersion() {
        server.on("version", "v1.130.1\n");
        assertThat(connect().version()).isEqualTo("v1.130.1");
    }

    @Test
    void getpidParsesTheProcessId() {
        server.on("getpid", "OK 12412\n");
        assertThat(connect().getpid()).isEqualTo(12412L);
    }

    @Test
    void verboseReturnsTheLevelName() {
        server.on("verbose", "OK INFO\n");
        assertThat(connect().verbose()).isEqualTo("INFO");
    }

    // --- commands acknowledged with OK

    @Test
    void maxQueueSendsOneSizeOrOnePerPriority() {
        server.on("maxqueue fn 10", "OK\r\n").on("maxqueue fn 1 2 3", "OK\r\n");
        connect().maxQueue("fn", 10);
        admin.maxQueue("fn", 1, 2, 3);
        assertThat(server.received()).containsExactly("maxqueue fn 10\r\n", "maxqueue fn 1 2 3\r\n");
    }

    @Test
    void cancelJobIsTrueForOkAndFalseForAnUnknownHandle() {
        server.on("cancel job H:vm:6", "OK\r\n").on("cancel job H:nowhere:1", "ERR UNKNOWN_JOB\r\n");
        assertThat(connect().cancelJob("H:vm:6")).isTrue();
        assertThat(admin.cancelJob("H:nowhere:1")).isFalse();
    }

    @Test
    void cancelJobThrowsForOtherErrors() {
        server.on("cancel job H:x:1", "ERR INVALID_ARGUMENTS An+incomplete+set+of+arguments+was+sent+to+this+command+cancel+job\r\n");
        assertThatThrownBy(() -> connect().cancelJob("H:x:1")).isInstanceOf(AdminException.class)
                .hasMessageContaining("INVALID_ARGUMENTS");
    }

    @Test
    void createFunctionEndsTheCommandInCrLfSoCGearmandKeepsTheWholeName() {
        server.on("create function made_here", "OK\r\n");
        connect().createFunction("made_here");
        assertThat(server.received()).containsExactly("create function made_here\r\n");
    }

    @Test
    void dropFunctionErrorsWithoutACodeKeepTheWholeText() {
        server.on("drop function nope", "ERR function not found\r\n")
                .on("drop function rev", "ERR there are still connected workers or executing clients\r\n")
                .on("drop function gone", "OK\r\n");
        AdminException notFound = catchThrowableOfType(() -> connect().dropFunction("nope"), AdminException.class);
        assertThat(notFound.code()).isEmpty();
        assertThat(notFound.text()).isEqualTo("function not found");
        assertThat(notFound).hasMessage(server.address() + " refused 'drop function nope': function not found");
        AdminException inUse = catchThrowableOfType(() -> admin.dropFunction("rev"), AdminException.class);
        assertThat(inUse.text()).isEqualTo("there are still connected workers or executing clients");
        admin.dropFunction("gone");
    }

    @Test
    void shutdownSendsGracefulWhenAsked() {
        server.on("shutdown graceful", "OK\n").on("shutdown", "OK\n");
        connect().shutdown(true);
        admin.shutdown(false);
        assertThat(server.received()).containsExactly("shutdown graceful\r\n", "shutdown\r\n");
    }

    @Test
    void shutdownAgainstCGearmandIsAnUnknownCommand() {
        AdminException e = catchThrowableOfType(() -> connect().shutdown(false), AdminException.class);
        assertThat(e.code()).isEqualTo("UNKNOWN_COMMAND");
        assertThat(e.text()).isEqualTo("Unknown server commandshutdown");
    }

    // --- raw commands and ERR mapping

    @Test
    void commandReturnsListsWithTheirDotLineAndLinesEndingInNewline() {
        server.on("status", "f1\t1\t0\t2\r\n.\r\n").on("getpid", "OK 42\n").on("cancel job x", "OK\r\n");
        assertThat(connect().command("status")).isEqualTo("f1\t1\t0\t2\n.\n");
        assertThat(admin.command("getpid")).isEqualTo("OK 42\n");
        assertThat(admin.command("cancel job x")).isEqualTo("OK\n");
    }

    @Test
    void commandNamesAreCaseInsensitiveWhenDecidingWhatIsAList() {
        server.on("STATUS", "f\t0\t0\t0\n.\n");
        assertThat(connect().command("STATUS")).isEqualTo("f\t0\t0\t0\n.\n");
    }

    @Test
    void errRepliesBecomeAdminExceptionsWithTheCodeAndTheDecodedText() {
        AdminException e = catchThrowableOfType(() -> connect().command("bogus"), AdminException.class);
        assertThat(e.code()).isEqualTo("UNKNOWN_COMMAND");
        assertThat(e.text()).isEqualTo("Unknown server commandbogus");
        assertThat(e.reply()).isEqualTo("ERR UNKNOWN_COMMAND Unknown+server+commandbogus");
        assertThat(e.command()).isEqualTo("bogus");
        assertThat(e).isInstanceOf(GearmanException.class)
                .hasMessage(server.address() + " refused 'bogus': UNKNOWN_COMMAND (Unknown server commandbogus)");
    }

    @Test
    void anErrInsteadOfAListEndsTheReply() {
        server.on("show foo", "ERR UNKNOWN_SHOW_ARGUMENTS\r\n").on("status", ".\n");
        AdminException e = catchThrowableOfType(() -> connect().command("show foo"), AdminException.class);
        assertThat(e.code()).isEqualTo("UNKNOWN_SHOW_ARGUMENTS");
        assertThat(e.text()).isEmpty();
        assertThat(admin.status()).isEmpty();
    }

    @Test
    void theConnectionStaysUsableAfterAnErr() {
        server.on("maxqueue", "ERR INVALID_ARGUMENTS An+incomplete+set+of+arguments+was+sent+to+this+command+maxqueue\r\n")
                .on("getpid", "OK 7\n");
        AdminException e = catchThrowableOfType(() -> connect().command("maxqueue"), AdminException.class);
        assertThat(e.text()).isEqualTo("An incomplete set of arguments was sent to this command maxqueue");
        assertThat(admin.getpid()).isEqualTo(7L);
    }

    // --- malformed replies

    @Test
    void aStatusLineWithMissingFieldsIsMalformedAndNamed() {
        server.on("status", "f1\t1\t0\n.\n");
        MalformedReplyException e = catchThrowableOfType(() -> connect().status(), MalformedReplyException.class);
        assertThat(e.command()).isEqualTo("status");
        assertThat(e.line()).isEqualTo("f1\t1\t0");
        assertThat(e).hasMessage("malformed reply from " + server.address() + " to 'status': expected 4 tab-separated"
                + " fields FUNCTION TOTAL RUNNING AVAILABLE_WORKERS, found 3 in line \"f1\\t1\\t0\"");
    }

    @Test
    void aCountThatIsNotANumberIsMalformed() {
        server.on("status", "f1\t1\t-1\t0\n.\n").on("prioritystatus", "f\t1\t2\tx\t0\n.\n");
        assertThatThrownBy(() -> connect().status()).isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("RUNNING '-1' is not a non-negative number");
        assertThatThrownBy(() -> admin.priorityStatus()).isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("LOW 'x'");
    }

    @Test
    void aCountBeyondIntIsMalformed() {
        server.on("status", "f1\t99999999999\t0\t0\n.\n");
        assertThatThrownBy(() -> connect().status()).isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("TOTAL 99999999999 is larger than 2147483647");
    }

    @Test
    void aJobFlagOtherThanZeroOrOneIsMalformed() {
        server.on("show jobs", "H:vm:1\t0\t2\t0\n.\n");
        assertThatThrownBy(() -> connect().showJobs()).isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("IGNORE_JOB '2' is not 0 or 1");
    }

    @Test
    void aWorkersLineWithoutTheColonIsMalformed() {
        server.on("workers", "38 127.0.0.1 - rev\n.\n");
        MalformedReplyException e = catchThrowableOfType(() -> connect().workers(), MalformedReplyException.class);
        assertThat(e.line()).isEqualTo("38 127.0.0.1 - rev");
        assertThat(e).hasMessageContaining("expected FD IP CLIENT_ID : FUNCTION...");
    }

    @Test
    void aWorkersLineWithTwoSpacesBetweenFunctionsIsMalformed() {
        server.on("workers", "38 127.0.0.1 - : a  b\n.\n");
        assertThatThrownBy(() -> connect().workers()).isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("empty function name");
    }

    @Test
    void singleValueRepliesWithoutOkAreMalformed() {
        server.on("getpid", "OK abc\n").on("version", "hello\n").on("verbose", "OK \n")
                .on("create function f", "OK extra words\r\n");
        connect();
        assertThatThrownBy(admin::getpid).isInstanceOf(MalformedReplyException.class).hasMessageContaining("pid 'abc'");
        assertThatThrownBy(admin::version).isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("expected OK followed by the version in line \"hello\"");
        assertThatThrownBy(admin::verbose).isInstanceOf(MalformedReplyException.class);
        assertThatThrownBy(() -> admin.createFunction("f")).isInstanceOf(MalformedReplyException.class)
                .hasMessageContaining("expected OK in line \"OK extra words\"");
    }

    @Test
    void aBareErrIsMalformedNotAnError() {
        // Only "ERR " starts an error reply; gearadmin has always printed anything else as it came.
        server.on("cancel job x", "ERR\r\n");
        assertThatThrownBy(() -> connect().cancelJob("x")).isInstanceOf(MalformedReplyException.class);
    }

    @Test
    void theConnectionStaysUsableAfterAMalformedReply() {
        server.on("status", "garbage\n.\n").on("getpid", "OK 9\n");
        assertThatThrownBy(() -> connect().status()).isInstanceOf(MalformedReplyException.class);
        assertThat(admin.getpid()).isEqualTo(9L);
    }

    @Test
    void aLineOverTheLimitClosesTheConnection() {
        server.on("show unique jobs", "x".repeat(GearmanAdmin.MAX_LINE_LENGTH + 1) + "\n.\n");
        MalformedReplyException e = catchThrowableOfType(() -> connect().showUniqueJobs(),
                MalformedReplyException.class);
        assertThat(e).hasMessageContaining("a line is longer than " + GearmanAdmin.MAX_LINE_LENGTH + " bytes");
        assertThatThrownBy(() -> admin.getpid()).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining("closed after an earlier failure");
    }

    @Test
    void aLineExactlyAtTheLimitIsAccepted() {
        String unique = "u".repeat(GearmanAdmin.MAX_LINE_LENGTH);
        server.on("show unique jobs", unique + "\r\n.\n");
        assertThat(connect().showUniqueJobs()).containsExactly(unique);
    }

    // --- timeouts and lost connections

    @Test
    void aSilentServerTimesOutAndTheConnectionIsClosed() {
        server.silentOn("status").on("getpid", "OK 1\n");
        long start = System.nanoTime();
        GearmanTimeoutException e = catchThrowableOfType(() -> connect(Duration.ofMillis(200)).status(),
                GearmanTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(190), Duration.ofSeconds(3));
        assertThat(e).hasMessage("no complete reply to 'status' from " + server.address()
                + " within 200 ms; the connection is closed");
        assertThat(e.server()).isEqualTo(server.address());
        assertThat(e.getCause()).hasMessage("Read timed out");
        assertThatThrownBy(() -> admin.getpid()).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining("cannot send 'getpid'");
    }

    @Test
    void theResponseTimeoutBoundsTheWholeReplyNotEachRead() {
        server.trickle("status", "f\t0\t0\t0\nf\t0\t0\t0\n.\n", 40);
        long start = System.nanoTime();
        assertThatThrownBy(() -> connect(Duration.ofMillis(300)).status()).isInstanceOf(GearmanTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
    }

    @Test
    void aReplyCutShortByTheServerIsAConnectionFailure() {
        server.closeAfter("status", "f\t0\t0\t0\n");
        GearmanConnectionException e = catchThrowableOfType(() -> connect().status(),
                GearmanConnectionException.class);
        assertThat(e).hasMessage("connection to " + server.address()
                + " failed during 'status': the server closed the connection");
        assertThat(e.getCause()).isInstanceOf(EOFException.class);
    }

    @Test
    void connectingToAClosedPortFailsWithTheAddress() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AdminOptions options = AdminOptions.builder().host("127.0.0.1").port(port).build();
        GearmanConnectionException e = catchThrowableOfType(() -> GearmanAdmin.connect(options),
                GearmanConnectionException.class);
        assertThat(e.server()).isEqualTo("127.0.0.1:" + port);
        assertThat(e).hasMessageStartingWith("cannot connect to 127.0.0.1:" + port + ": ");
        assertThat(e.getCause()).isInstanceOf(ConnectException.class);
    }

    @Test
    void closeEndsTheConnectionAndLaterCallsFail() {
        connect().close();
        assertThatThrownBy(() -> admin.status()).isInstanceOf(GearmanConnectionException.class)
                .hasMessageContaining("this GearmanAdmin was closed");
        // The server's leak check in stopServer() sees the connection closed.
    }

    @Test
    void closeFromAnotherThreadEndsACallBlockedOnASilentServer() throws Exception {
        server.silentOn("status");
        connect(Duration.ofSeconds(30));
        Thread closer = new Thread(() -> {
            sleep(200);
            admin.close();
        });
        closer.start();
        long start = System.nanoTime();
        assertThatThrownBy(() -> admin.status()).isInstanceOf(GearmanConnectionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        closer.join();
    }

    // --- arguments and options

    @Test
    void argumentsThatWouldSplitOrInjectACommandAreRejectedBeforeSending() {
        connect();
        assertThatThrownBy(() -> admin.createFunction("two words")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the function 'two words' cannot be sent");
        assertThatThrownBy(() -> admin.cancelJob("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> admin.dropFunction(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> admin.maxQueue("fn", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> admin.command("status\nshutdown")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> admin.command(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.received()).isEmpty();
    }

    @Test
    void optionsDefaultToLocalhostOnTheGearmanPort() {
        AdminOptions defaults = AdminOptions.defaults();
        assertThat(defaults).isEqualTo(new AdminOptions("localhost", 4730, Duration.ofSeconds(5), Duration.ofSeconds(10)));
        assertThat(defaults.address()).isEqualTo("localhost:4730");
        assertThat(defaults.newBuilder().port(4731).build().port()).isEqualTo(4731);
    }

    @Test
    void optionsRejectBadValuesNamingThem() {
        assertThatThrownBy(() -> AdminOptions.builder().port(0).build()).hasMessageContaining("port must be 1-65535: 0");
        assertThatThrownBy(() -> AdminOptions.builder().host(" ").build()).hasMessageContaining("host");
        assertThatThrownBy(() -> AdminOptions.builder().responseTimeout(Duration.ZERO).build())
                .hasMessageContaining("responseTimeout");
        assertThatThrownBy(() -> AdminOptions.builder().connectTimeout(Duration.ofDays(30)).build())
                .hasMessageContaining("connectTimeout");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
