package dev.gearfarm.images.worker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Test helper: plain HTTP GETs against a worker's endpoint and the samples of a Prometheus text page. */
final class Scrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Scrape() {
    }

    /** GET {@code http://127.0.0.1:port/path}. */
    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} until it answers {@code status}, for up to 30 s; the last answer either way. */
    static HttpResponse<String> await(int port, String path, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(port, path);
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (IOException notYet) {
                // the process is still starting
            }
            Thread.sleep(100);
        }
        if (last == null) {
            throw new AssertionError("nothing answered on port " + port + " within 30 s");
        }
        return last;
    }

    /** Every sample of a Prometheus text page: {@code name{labels}} (as written) to its value. */
    static Map<String, Double> samples(String page) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : page.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }
}
