package dev.gearfarm.gearmand.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gearfarm.gearmand.engine.Engine;
import dev.gearfarm.gearmand.net.GearmanServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /metrics} (Prometheus text format) and {@code /health} over HTTP on one thread of its
 * own, so a slow scraper never delays a job. Both ask the engine for a snapshot; an engine that does not
 * answer within {@link #ENGINE_DEADLINE_SECONDS} makes {@code /health} fail.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    static final int ENGINE_DEADLINE_SECONDS = 2;
    private static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer http;
    private final ExecutorService executor;
    private final GearmanServer server;
    private final ServerMetrics metrics;

    private MetricsEndpoint(HttpServer http, ExecutorService executor, GearmanServer server, ServerMetrics metrics) {
        this.http = http;
        this.executor = executor;
        this.server = server;
        this.metrics = metrics;
    }

    /** Binds {@code host:port} (port 0 picks a free one) and starts serving. */
    public static MetricsEndpoint start(String host, int port, GearmanServer server, ServerMetrics metrics)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gearmand-metrics");
            thread.setDaemon(true);
            return thread;
        });
        MetricsEndpoint endpoint = new MetricsEndpoint(http, executor, server, metrics);
        http.createContext("/metrics", endpoint::metrics);
        http.createContext("/health", endpoint::health);
        http.setExecutor(executor);
        http.start();
        log.info("metrics on http://{}:{}/metrics, health on /health", host, endpoint.port());
        return endpoint;
    }

    /** The bound port. */
    public int port() {
        return http.getAddress().getPort();
    }

    private ServerMetrics.Snapshot snapshot() throws InterruptedException, ExecutionException, TimeoutException {
        return server.inspect(engine -> new ServerMetrics.Snapshot(engine.functions(), engine.connectionCount()))
                .get(ENGINE_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
                reply(exchange, 404, "text/plain", "not found; try /metrics or /health\n");
                return;
            }
            try {
                metrics.update(snapshot());
            } catch (ExecutionException | TimeoutException e) {
                // The job counters are still worth serving; the queue gauges keep their last values.
                log.warn("metrics: the engine did not answer within {} s; queue gauges are stale",
                        ENGINE_DEADLINE_SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            reply(exchange, 200, PROMETHEUS_TYPE, metrics.scrape());
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        try (exchange) {
            String problem;
            try {
                // A probe runs every few seconds: ask only what it needs, not the per-function views.
                problem = server.inspect(Engine::isDraining).get(ENGINE_DEADLINE_SECONDS, TimeUnit.SECONDS)
                        ? "draining for shutdown" : null;
            } catch (ExecutionException | TimeoutException e) {
                problem = "the job engine did not answer within " + ENGINE_DEADLINE_SECONDS + " s";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (problem == null) {
                reply(exchange, 200, "text/plain", "ok\n");
            } else {
                reply(exchange, 503, "text/plain", problem + "\n");
            }
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

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
