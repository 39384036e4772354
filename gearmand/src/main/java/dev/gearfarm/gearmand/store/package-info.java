/**
 * Persistent queues: where background jobs are kept so that they survive a crash of the server.
 *
 * <p>A {@link dev.gearfarm.gearmand.store.JobStore} does blocking I/O (a journal on disk, or a database
 * through JDBC) and is driven by exactly one thread, the {@link dev.gearfarm.gearmand.store.StoreWriter}'s
 * {@code gearmand-store} thread, which groups the engine's writes into batches and commits each batch
 * once. Nothing here imports Netty or touches engine state; see {@code docs/concurrency.md}.
 */
package dev.gearfarm.gearmand.store;
