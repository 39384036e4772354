package dev.gearfarm.gearman.client;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.GearmanException;
import dev.gearfarm.gearman.JobExceptionException;
import dev.gearfarm.gearman.JobFailedException;
import dev.gearfarm.gearman.internal.GearmanConnection;
import dev.gearfarm.gearman.internal.Request;
import dev.gearfarm.gearman.internal.Session;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of one connection: submits jobs and routes {@code WORK_*} packets to the foreground
 * jobs waiting on them. The job table is touched only on the connection's event loop: a job is entered
 * when its {@code JOB_CREATED} is read, before the next packet, so no {@code WORK_*} can overtake it.
 */
final class ClientSession extends Session {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    private final boolean exceptions;
    /** Foreground jobs by handle; more than one when the server coalesced submissions into one job. */
    private final Map<String, List<JobFuture>> jobs = new HashMap<>();

    ClientSession(GearmanConnection connection, boolean exceptions) {
        super(connection);
        this.exceptions = exceptions;
    }

    @Override
    protected CompletableFuture<Void> handshake() {
        if (!exceptions) {
            return CompletableFuture.completedFuture(null);
        }
        return connection().request(PacketType.OPTION_RES, PacketType.OPTION_REQ, "exceptions")
                .handle((reply, error) -> {
                    if (error != null && !(error instanceof GearmanConnectionException)) {
                        // A server without the option (the Perl one answers ERROR) still runs jobs; failures
                        // then arrive as WORK_FAIL without the worker's message.
                        log.warn("{} does not support the exceptions option ({}); job exceptions will be "
                                + "reported as plain failures", connection().server(), error.getMessage());
                        return null;
                    }
                    if (error != null) {
                        throw (GearmanConnectionException) error;
                    }
                    return null;
                });
    }

    /** Submits a foreground job; {@code job} hears everything from here on. */
    void submit(JobFuture job) {
        JobRequest request = job.request();
        Packet packet = submitPacket(request, false);
        connection().request(new Request() {
            @Override
            public Packet packet() {
                return packet;
            }

            @Override
            public boolean accepts(PacketType type) {
                return type == PacketType.JOB_CREATED;
            }

            @Override
            public void complete(Packet reply) {
                String handle = reply.argString(0);
                jobs.computeIfAbsent(handle, ignored -> new ArrayList<>(1)).add(job);
                job.created(handle);
            }

            @Override
            public void fail(GearmanException cause) {
                job.fail(cause);
            }
        });
    }

    /** Submits a background job; completes with its handle. */
    CompletableFuture<String> submitBackground(JobRequest request) {
        Packet packet = submitPacket(request, true);
        return connection().request(PacketType.JOB_CREATED, packet.type(), packet.args().toArray())
                .thenApply(reply -> reply.argString(0));
    }

    CompletableFuture<JobStatus> status(String handle) {
        return connection().request(PacketType.STATUS_RES, PacketType.GET_STATUS, handle).thenApply(reply ->
                new JobStatus(reply.argString(0), flag(reply.arg(1)), flag(reply.arg(2)), number(reply.arg(3)),
                        number(reply.arg(4))));
    }

    CompletableFuture<UniqueStatus> statusByUnique(String unique) {
        return connection().request(PacketType.STATUS_RES_UNIQUE, PacketType.GET_STATUS_UNIQUE, utf8(unique))
                .thenApply(reply -> new UniqueStatus(new String(reply.arg(0), StandardCharsets.UTF_8),
                        flag(reply.arg(1)), flag(reply.arg(2)), number(reply.arg(3)), number(reply.arg(4)),
                        (int) Math.min(Integer.MAX_VALUE, number(reply.arg(5)))));
    }

    private static Packet submitPacket(JobRequest request, boolean background) {
        byte[] function = utf8(request.function());
        byte[] unique = utf8(request.unique());
        if (request.runAt() != null) {
            return Packet.request(PacketType.SUBMIT_JOB_EPOCH, function, unique,
                    Long.toString(request.runAt().getEpochSecond()), request.payload());
        }
        PacketType type = switch (request.priority()) {
            case HIGH -> background ? PacketType.SUBMIT_JOB_HIGH_BG : PacketType.SUBMIT_JOB_HIGH;
            case NORMAL -> background ? PacketType.SUBMIT_JOB_BG : PacketType.SUBMIT_JOB;
            case LOW -> background ? PacketType.SUBMIT_JOB_LOW_BG : PacketType.SUBMIT_JOB_LOW;
        };
        return Packet.request(type, function, unique, request.payload());
    }

    @Override
    protected void onPacket(Packet packet) {
        PacketType type = packet.type();
        switch (type) {
            case WORK_COMPLETE, WORK_FAIL, WORK_EXCEPTION, WORK_DATA, WORK_WARNING, WORK_STATUS -> work(packet);
            default -> log.debug("{}: ignoring unexpected {}", connection().server(), packet);
        }
    }

    private void work(Packet packet) {
        String handle = handle(packet);
        PacketType type = packet.type();
        boolean terminal = type == PacketType.WORK_COMPLETE || type == PacketType.WORK_FAIL
                || type == PacketType.WORK_EXCEPTION;
        List<JobFuture> waiting = terminal ? jobs.remove(handle) : jobs.get(handle);
        if (waiting == null) {
            log.debug("{}: {} for {}, which no caller here waits for", connection().server(), type, handle);
            return;
        }
        for (JobFuture job : waiting) {
            switch (type) {
                case WORK_COMPLETE -> job.complete(packet.arg(1));
                case WORK_FAIL -> job.fail(new JobFailedException(handle, job.request().function()));
                case WORK_EXCEPTION -> job.fail(new JobExceptionException(handle, job.request().function(),
                        packet.arg(1)));
                default -> tell(job, packet);
            }
        }
    }

    private void tell(JobFuture job, Packet packet) {
        JobListener listener = job.listener();
        if (listener == null) {
            return;
        }
        try {
            switch (packet.type()) {
                case WORK_DATA -> listener.onData(packet.arg(1));
                case WORK_WARNING -> listener.onWarning(packet.arg(1));
                case WORK_STATUS -> listener.onStatus(number(packet.arg(1)), number(packet.arg(2)));
                default -> throw new IllegalStateException(packet.type().name());
            }
        } catch (RuntimeException e) {
            log.warn("job listener for {} threw on {}; ignored", packet.argString(0), packet.type(), e);
        }
    }

    /**
     * The job handle of a {@code WORK_*} packet. C gearmand turns {@code WORK_EXCEPTION} into {@code
     * WORK_FAIL} for clients without the exceptions option and copies the handle with its C string
     * terminator, so that body ends in a NUL which is not part of the handle.
     */
    private static String handle(Packet packet) {
        String handle = packet.argString(0);
        if (packet.type() == PacketType.WORK_FAIL && handle.endsWith("\0")) {
            return handle.substring(0, handle.length() - 1);
        }
        return handle;
    }

    @Override
    protected void onClose(GearmanConnectionException cause) {
        for (Map.Entry<String, List<JobFuture>> entry : jobs.entrySet()) {
            for (JobFuture job : entry.getValue()) {
                job.fail(new GearmanConnectionException(cause.server(), "job " + entry.getKey() + " (function "
                        + job.request().function() + ") will get no result: " + cause.getMessage(), cause));
            }
        }
        jobs.clear();
    }

    private static boolean flag(byte[] field) {
        return number(field) != 0;
    }

    /**
     * A decimal field. Workers fill WORK_STATUS with whatever text they like and the server forwards it as
     * sent, so anything that is not a number reads as 0 rather than breaking the job.
     */
    private static long number(byte[] field) {
        long value = 0;
        if (field.length == 0 || field.length > 18) {
            return 0;
        }
        for (byte b : field) {
            if (b < '0' || b > '9') {
                return 0;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
