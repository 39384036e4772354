package dev.gearfarm.images.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} (Prometheus text format) and {@code GET /health} ({@code 200 ok}, or
 * {@code 503} with a one-line reason) with the JDK's HTTP server on one thread of its own, away from the
 * Gearman connections' Netty threads and the job threads, so a slow scraper never delays a job.
 */
public final class MetricsHttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsHttpServer.class);
    /** What Prometheus expects for the text format Micrometer writes. */
    static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer http;
    private final ExecutorService executor;
    private final WorkerMetrics metrics;
    private final Supplier<String> problem;

    private MetricsHttpServer(HttpServer http, ExecutorService executor, WorkerMetrics metrics,
            Supplier<String> problem) {
        this.http = http;
        this.executor = executor;
        this.metrics = metrics;
        this.problem = problem;
    }

    /**
     * Binds {@code host:port} (port 0: any free port) and starts serving.
     *
     * @param problem why the worker is unhealthy now, or null when it is healthy
     * @throws IOException when the address cannot be bound
     */
    public static MetricsHttpServer start(String host, int port, WorkerMetrics metrics, Supplier<String> problem)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "image-worker-metrics");
            thread.setDaemon(true);
            return thread;
        });
        MetricsHttpServer server = new MetricsHttpServer(http, executor, metrics, problem);
        http.createContext("/", server::serve);
        http.setExecutor(executor);
        http.start();
        log.info("metrics on http://{}:{}/metrics, health on /health", host, server.address().getPort());
        return server;
    }

    /** The bound address (its port is the real one when 0 was asked for). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, TEXT, method + " is not served; use GET\n");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case "/metrics" -> reply(exchange, 200, PROMETHEUS_TYPE, metrics.scrape());
                case "/health" -> {
                    String why = problem.get();
                    if (why == null) {
                        reply(exchange, 200, TEXT, "ok\n");
                    } else {
                        reply(exchange, 503, TEXT, "unavailable: " + why + "\n");
                    }
                }
                default -> reply(exchange, 404, TEXT, "not found; try /metrics or /health\n");
            }
        } catch (RuntimeException e) {
            // A bug in a gauge must not stop the endpoint; the scraper sees the failed request.
            log.warn("metrics: {} failed", exchange.getRequestURI(), e);
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops listening at once; a scrape in progress is cut off. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
