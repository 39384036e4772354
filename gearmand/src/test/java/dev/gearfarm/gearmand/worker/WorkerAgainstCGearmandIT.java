package dev.gearfarm.gearmand.worker;

import dev.gearfarm.gearmand.client.TestServer;

/** The worker contract against Debian's C gearmand, run as a process. */
class WorkerAgainstCGearmandIT extends WorkerContract {
    @Override
    TestServer startServer() throws Exception {
        return TestServer.cGearmand();
    }
}
