package dev.gearfarm.images.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP(S) server on a loopback port for source tests (the JDK's {@code com.sun.net.httpserver}),
 * with handlers for the cases a fetcher must survive: plain bytes, statuses, redirects, slow and
 * endless bodies. Records each request's {@code Host} header.
 */
public final class HttpTestServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "http-test-server");
        t.setDaemon(true);
        return t;
    });
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();

    private HttpTestServer(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.start();
    }

    /** Plain HTTP on 127.0.0.1 and a free port. */
    public static HttpTestServer http() throws IOException {
        return new HttpTestServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    /** HTTPS on 127.0.0.1 with the given server TLS context. */
    public static HttpTestServer https(SSLContext context) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new HttpTestServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code scheme://host:port} + path, e.g. {@code url("localhost", "/a.jpg")}. */
    public String url(String host, String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://" + host + ":" + port() + path;
    }

    /** The Host headers received so far, in order. */
    public List<String> hostHeaders() {
        return hostHeaders;
    }

    /** Serves fixed bytes with a Content-Length. */
    public HttpTestServer bytes(String path, byte[] body) {
        return handle(path, exchange -> send(exchange, 200, body));
    }

    /** Answers a status with a short text body. */
    public HttpTestServer status(String path, int status) {
        return handle(path, exchange -> send(exchange, status, ("status " + status).getBytes(StandardCharsets.UTF_8)));
    }

    /** Answers 302 with the given Location. */
    public HttpTestServer redirect(String path, String location) {
        return handle(path, exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
    }

    /** Claims a Content-Length, then sends bytes until the client hangs up. */
    public HttpTestServer endless(String path, long claimedLength) {
        return handle(path, exchange -> {
            exchange.sendResponseHeaders(200, claimedLength);
            pump(exchange, Long.MAX_VALUE, 0);
        });
    }

    /** Chunked (no Content-Length), sending bytes until the client hangs up. */
    public HttpTestServer endlessChunked(String path) {
        return handle(path, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            pump(exchange, Long.MAX_VALUE, 0);
        });
    }

    /** Sends headers at once, then one byte every {@code pauseMillis}: each read is quick, the whole is slow. */
    public HttpTestServer dribble(String path, long pauseMillis) {
        return handle(path, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            pump(exchange, Long.MAX_VALUE, pauseMillis);
        });
    }

    /** Waits before sending any header. */
    public HttpTestServer silent(String path, long pauseMillis) {
        return handle(path, exchange -> {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(exchange, 200, new byte[] {1});
        });
    }

    public HttpTestServer handle(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            try {
                handler.handle(exchange);
            } catch (IOException clientWentAway) {
                exchange.close();
            }
        });
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void pump(HttpExchange exchange, long bytes, long pauseMillis) throws IOException {
        byte[] block = new byte[pauseMillis > 0 ? 1 : 64 * 1024];
        try (OutputStream out = exchange.getResponseBody()) {
            for (long sent = 0; sent < bytes; sent += block.length) {
                out.write(block);
                out.flush();
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
