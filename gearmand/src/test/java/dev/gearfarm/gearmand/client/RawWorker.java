package dev.gearfarm.gearmand.client;

import dev.gearfarm.gearman.protocol.Magic;
import dev.gearfarm.gearman.protocol.Packet;
import dev.gearfarm.gearman.protocol.PacketEncoder;
import dev.gearfarm.gearman.protocol.PacketType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal worker over a plain socket, so the client is tested against a worker that shares none of its
 * code. It grabs with {@code GRAB_JOB_UNIQ}, sleeps with {@code PRE_SLEEP} until {@code NOOP}, and does one
 * job at a time; what a job does depends on its function:
 * <ul>
 *   <li>{@code reverse}: completes with the payload reversed;
 *   <li>{@code fail}: sends {@code WORK_FAIL};
 *   <li>{@code throw}: sends {@code WORK_EXCEPTION} with {@code "bad input: <payload>"};
 *   <li>{@code progress}: sends status 1/2, data {@code part}, warning {@code careful}, then completes
 *       with {@code done};
 *   <li>{@code slow}: sleeps the payload's number of milliseconds, then completes with {@code slept}.
 * </ul>
 */
final class RawWorker implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Thread thread;
    /** The payloads of the jobs grabbed, in order. */
    final List<String> grabbed = new CopyOnWriteArrayList<>();

    private RawWorker(String address, List<String> functions) throws IOException {
        int colon = address.lastIndexOf(':');
        socket = new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        for (String function : functions) {
            send(PacketType.CAN_DO, function);
        }
        thread = new Thread(this::run, "raw-worker-" + address);
        thread.setDaemon(true);
    }

    /** A worker for {@code functions} on the server at {@code address}, running on its own thread. */
    static RawWorker start(String address, String... functions) {
        try {
            RawWorker worker = new RawWorker(address, List.of(functions));
            worker.thread.start();
            return worker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect the test worker to " + address, e);
        }
    }

    private void run() {
        try {
            while (true) {
                send(PacketType.GRAB_JOB_UNIQ);
                Packet reply = readSkippingNoops();
                if (reply.type() == PacketType.NO_JOB) {
                    send(PacketType.PRE_SLEEP);
                    Packet wake = read();
                    if (wake.type() != PacketType.NOOP) {
                        throw new IllegalStateException("expected NOOP, got " + wake);
                    }
                } else if (reply.type() == PacketType.JOB_ASSIGN_UNIQ) {
                    work(reply.argString(0), reply.argString(1), reply.arg(3));
                } else {
                    throw new IllegalStateException("unexpected reply to GRAB_JOB_UNIQ: " + reply);
                }
            }
        } catch (IOException | UncheckedIOException closed) {
            // The test closed the worker or stopped the server.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void work(String handle, String function, byte[] payload) throws IOException, InterruptedException {
        String text = new String(payload, StandardCharsets.UTF_8);
        grabbed.add(text);
        switch (function) {
            case "reverse" -> send(PacketType.WORK_COMPLETE, handle,
                    new StringBuilder(text).reverse().toString().getBytes(StandardCharsets.UTF_8));
            case "fail" -> send(PacketType.WORK_FAIL, handle);
            case "throw" -> send(PacketType.WORK_EXCEPTION, handle, "bad input: " + text);
            case "progress" -> {
                send(PacketType.WORK_STATUS, handle, "1", "2");
                send(PacketType.WORK_DATA, handle, "part");
                send(PacketType.WORK_WARNING, handle, "careful");
                send(PacketType.WORK_COMPLETE, handle, "done");
            }
            case "slow" -> {
                Thread.sleep(Long.parseLong(text));
                send(PacketType.WORK_COMPLETE, handle, "slept");
            }
            default -> send(PacketType.WORK_FAIL, handle);
        }
    }

    private void send(PacketType type, Object... args) throws IOException {
        ByteBuf buffer = Unpooled.buffer();
        try {
            PacketEncoder.encode(Packet.request(type, args), buffer);
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            buffer.release();
        }
    }

    private Packet readSkippingNoops() throws IOException {
        Packet packet = read();
        while (packet.type() == PacketType.NOOP) {
            packet = read();
        }
        return packet;
    }

    private Packet read() throws IOException {
        int magic = in.readInt();
        PacketType type = PacketType.fromCode(in.readInt());
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        List<byte[]> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < type.argCount() - 1; i++) {
            int nul = start;
            while (nul < body.length && body[nul] != 0) {
                nul++;
            }
            args.add(Arrays.copyOfRange(body, start, nul));
            start = Math.min(body.length, nul + 1);
        }
        if (type.argCount() > 0) {
            args.add(Arrays.copyOfRange(body, start, body.length));
        }
        return new Packet(Magic.fromCode(magic), type, args);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all the test wants.
        }
        thread.join(5000);
    }
}
