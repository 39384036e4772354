package dev.gearfarm.gearmand.client;

/** The client contract against our server, started in this JVM. */
class ClientAgainstOurServerTest extends ClientContract {
    @Override
    TestServer startServer() throws Exception {
        return TestServer.ours();
    }
}
