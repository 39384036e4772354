package dev.gearfarm.gearman.admin;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code workers}: a connection to the server. Every connection is listed, clients and admin
 * connections too (with no functions), this one included.
 *
 * @param fd        the server's number for the connection (C gearmand: its file descriptor)
 * @param ip        the peer's address
 * @param clientId  the id the connection set with {@code SET_CLIENT_ID}; empty when it set none (the
 *                  server prints {@code -})
 * @param functions the functions the connection registered as a worker, in the server's order
 */
public record WorkerInfo(long fd, String ip, String clientId, List<String> functions) {

    public WorkerInfo {
        functions = List.copyOf(functions);
    }

    /**
     * Parses {@code FD IP CLIENT_ID :} followed by {@code " FUNCTION"} per function. The Perl server ends
     * the line with a space; that one is accepted. A client id may contain spaces, but not {@code " : "}.
     */
    static WorkerInfo parse(ReplyLine line) {
        String text = line.text();
        int fdEnd = text.indexOf(' ');
        int ipEnd = fdEnd < 0 ? -1 : text.indexOf(' ', fdEnd + 1);
        int colon = ipEnd < 0 ? -1 : separator(text, ipEnd);
        if (colon <= ipEnd + 1 || ipEnd == fdEnd + 1) {
            throw line.malformed("expected FD IP CLIENT_ID : FUNCTION...");
        }
        long fd = line.number("FD", text.substring(0, fdEnd), Long.MAX_VALUE);
        String ip = text.substring(fdEnd + 1, ipEnd);
        String clientId = text.substring(ipEnd + 1, colon);
        String rest = text.substring(colon + 2);
        if (rest.endsWith(" ")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        List<String> functions = new ArrayList<>();
        if (!rest.isEmpty()) {
            for (String function : rest.substring(1).split(" ", -1)) {
                if (function.isEmpty()) {
                    throw line.malformed("empty function name (two spaces in a row)");
                }
                functions.add(function);
            }
        }
        return new WorkerInfo(fd, ip, clientId.equals("-") ? "" : clientId, functions);
    }

    /** The index of the first {@code " :"} after {@code from} that ends the line or is followed by a space. */
    private static int separator(String text, int from) {
        for (int i = text.indexOf(" :", from); i >= 0; i = text.indexOf(" :", i + 1)) {
            if (i + 2 == text.length() || text.charAt(i + 2) == ' ') {
                return i;
            }
        }
        return -1;
    }
}
