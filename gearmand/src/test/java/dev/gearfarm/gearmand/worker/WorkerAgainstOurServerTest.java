package dev.gearfarm.gearmand.worker;

import static dev.gearfarm.gearmand.support.Await.await;
import static dev.gearfarm.gearmand.support.Await.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.client.JobRequest;
import dev.gearfarm.gearmand.client.TestServer;
import dev.gearfarm.gearmand.config.ServerConfig;
import dev.gearfarm.gearmand.engine.EngineConfig;
import dev.gearfarm.gearmand.net.GearmanServer;
import org.junit.jupiter.api.Test;

/** The worker contract against our server, started in this JVM, and what needs the server restarted. */
class WorkerAgainstOurServerTest extends WorkerContract {
    @Override
    TestServer startServer() throws Exception {
        return TestServer.ours();
    }

    private static GearmanServer startOn(int port) throws InterruptedException {
        ServerConfig testing = ServerConfig.forTesting(new EngineConfig("H:test", -1, 0, false, "test"));
        return GearmanServer.start(new ServerConfig(port, testing.listen(), testing.threads(), testing.backlog(),
                testing.keepalive(), testing.keepaliveIdle(), testing.keepaliveInterval(), testing.keepaliveCount(),
                testing.stalledSeconds(), testing.verbose(), testing.limits(), testing.engine()));
    }

    @Test
    void reconnectsAndRegistersAgainAfterTheServerRestarts() throws Exception {
        GearmanServer first = startOn(0);
        int port = first.port();
        String address = "127.0.0.1:" + port;
        worker(address, 1).register("reverse", job -> reverse(job.payload()));
        TestServer fixed = new TestServer() {
            @Override
            public String address() {
                return address;
            }

            @Override
            public void close() {
            }
        };
        assertThat(text(await(client(fixed).submit(JobRequest.of("reverse", "before")).result())))
                .isEqualTo("erofeb");
        first.close();
        GearmanServer second = startOn(port);
        resources.add(second::close);
        // A new client: the first one's connection went down with the server.
        assertThat(text(await(client(fixed).submit(JobRequest.of("reverse", "after")).result())))
                .isEqualTo("retfa");
    }
}
