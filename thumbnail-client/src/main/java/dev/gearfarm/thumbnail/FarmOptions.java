package dev.gearfarm.thumbnail;

import dev.gearfarm.gearman.GearmanConnectionException;
import dev.gearfarm.gearman.admin.FunctionStatus;
import dev.gearfarm.gearman.admin.GearmanAdmin;
import dev.gearfarm.gearman.client.ClientOptions;
import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.images.batch.LocalStore;
import dev.gearfarm.images.batch.S3Store;
import dev.gearfarm.images.batch.Store;
import dev.gearfarm.images.s3.S3Settings;
import dev.gearfarm.images.s3.S3Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Option;

/** Options every command shares: where the job servers and the S3 store are. */
final class FarmOptions {
    static final String DEFAULT_SERVER = "127.0.0.1:4730";

    @Option(names = {"-s", "--server"}, paramLabel = "HOST:PORT", split = ",",
            defaultValue = "${env:THUMBNAIL_SERVERS:-" + DEFAULT_SERVER + "}",
            description = {"Job server; repeat or separate with commas for several (env THUMBNAIL_SERVERS, default "
                    + "${DEFAULT-VALUE}, a local bin/gearmand)."})
    List<String> servers = new ArrayList<>();

    @Option(names = "--s3-endpoint", paramLabel = "URL", defaultValue = "${env:THUMBNAIL_S3_ENDPOINT}",
            description = {"S3-compatible store for s3:// inputs and outputs, e.g. http://minio:9000 (env "
                    + "THUMBNAIL_S3_ENDPOINT or AWS_ENDPOINT_URL_S3; credentials from AWS_ACCESS_KEY_ID, "
                    + "AWS_SECRET_ACCESS_KEY, region from AWS_REGION)."})
    String s3Endpoint;

    @Option(names = "--job-timeout", paramLabel = "SECONDS", defaultValue = "${env:THUMBNAIL_JOB_TIMEOUT:-300}",
            description = "How long one image may take before it counts as failed (env THUMBNAIL_JOB_TIMEOUT,"
                    + " default ${DEFAULT-VALUE}).")
    long jobTimeoutSeconds;

    private S3Storage s3;

    Duration jobTimeout() {
        if (jobTimeoutSeconds < 1) {
            throw CliException.usage("--job-timeout must be at least 1 second, got " + jobTimeoutSeconds);
        }
        return Duration.ofSeconds(jobTimeoutSeconds);
    }

    S3Settings s3Settings() {
        try {
            S3Settings settings = S3Settings.fromEnvironment(System.getenv());
            if (s3Endpoint != null && !s3Endpoint.isBlank()) {
                settings = settings.toBuilder().endpoint(S3Settings.parseEndpoint(s3Endpoint)).build();
            }
            return settings;
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** Local folders, and S3 once a location needs it (the SDK client is only built then). */
    Store store(List<String> locations) {
        List<Store> stores = new ArrayList<>();
        stores.add(new LocalStore());
        if (locations.stream().anyMatch(l -> l != null && l.startsWith("s3://"))) {
            s3 = new S3Storage(s3Settings());
            stores.add(new S3Store(s3));
        }
        return Store.firstOf(stores);
    }

    /** A client for the servers, after checking that one answers (exit 3 with the fix when none does). */
    GearmanClient connect(List<String> servers) {
        GearmanClient client;
        try {
            client = GearmanClient.create(ClientOptions.builder().servers(servers).clientId("thumbnail")
                    .connectTimeout(Duration.ofSeconds(3)).build());
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--server: " + e.getMessage());
        }
        try {
            // Any request that needs an answer proves a server is there; a status query has no side effect.
            client.status("thumbnail-reachability-check").get(10, TimeUnit.SECONDS);
            return client;
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            Throwable cause = e.getCause() instanceof GearmanConnectionException c ? c : e;
            throw CliException.unreachable("cannot reach a job server at " + String.join(",", servers) + " ("
                    + cause.getMessage() + "); start one with bin/gearmand, give --server HOST:PORT, or run"
                    + " the batch with --embedded", e);
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw CliException.unreachable("interrupted while connecting to " + servers, e);
        }
    }

    /**
     * Fails fast (exit 3) when no server has a worker for {@code function}: the jobs would otherwise wait in
     * the queue until the job timeout, which for a big batch is a long silence.
     */
    static void requireWorkers(GearmanClient client, String function) {
        int workers = 0;
        List<String> problems = new ArrayList<>();
        for (String server : client.options().servers()) {
            int colon = server.lastIndexOf(':');
            String host = server.substring(0, colon).replace("[", "").replace("]", "");
            try (GearmanAdmin admin = GearmanAdmin.connect(host, Integer.parseInt(server.substring(colon + 1)))) {
                for (FunctionStatus status : admin.status()) {
                    if (status.name().equals(function)) {
                        workers += status.availableWorkers();
                    }
                }
            } catch (RuntimeException e) {
                problems.add(server + ": " + e.getMessage());
            }
        }
        if (workers == 0) {
            throw CliException.unreachable("no worker serves '" + function + "' on " + String.join(",",
                    client.options().servers()) + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")")
                    + "; start bin/image-worker --server HOST:PORT, or run the batch with --embedded", null);
        }
    }

    void close() {
        if (s3 != null) {
            s3.close();
        }
    }
}
