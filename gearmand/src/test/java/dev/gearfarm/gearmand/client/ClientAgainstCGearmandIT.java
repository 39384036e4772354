package dev.gearfarm.gearmand.client;

/** The client contract against Debian's C gearmand, run as a process. */
class ClientAgainstCGearmandIT extends ClientContract {
    @Override
    TestServer startServer() throws Exception {
        return TestServer.cGearmand();
    }
}
