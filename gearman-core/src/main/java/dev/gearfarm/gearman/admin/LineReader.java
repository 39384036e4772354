package dev.gearfarm.gearman.admin;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads reply lines from the admin socket against a deadline. Each read waits only for the time left
 * until the deadline, so a server that trickles bytes cannot stretch a reply past the response timeout.
 */
final class LineReader {
    private final Socket socket;
    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    LineReader(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * The next line without its {@code \n} or {@code \r\n}, bytes mapped one to one onto chars
     * (ISO-8859-1), or {@code null} when it is longer than {@code maxLength} (the rest of the line is left
     * unread, so the caller must give up the connection).
     */
    String readLine(long deadlineNanos, int maxLength) throws IOException {
        byte[] line = new byte[128];
        int length = 0;
        while (true) {
            if (position == limit) {
                fill(deadlineNanos);
            }
            byte b = buffer[position++];
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                if (length > maxLength) {
                    return null;
                }
                return new String(line, 0, length, StandardCharsets.ISO_8859_1);
            }
            // One byte over the limit is allowed for the '\r' of a line exactly maxLength long.
            if (length > maxLength) {
                return null;
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(line.length * 2, maxLength + 1));
            }
            line[length++] = b;
        }
    }

    private void fill(long deadlineNanos) throws IOException {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw new SocketTimeoutException("Read timed out");
        }
        // At least 1 ms: a socket timeout of 0 would mean wait forever.
        socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (remaining + 999_999) / 1_000_000)));
        int read = in.read(buffer);
        if (read < 0) {
            throw new EOFException("the server closed the connection");
        }
        position = 0;
        limit = read;
    }
}
