/**
 * The job engine: every queue, job and worker table, owned by one thread.
 *
 * <p>Nothing here imports Netty or blocks: the network layer hands decoded packets in through
 * {@link dev.gearfarm.gearmand.engine.Engine#dispatch} and receives replies through
 * {@link dev.gearfarm.gearmand.engine.Session#deliver}. See {@code docs/concurrency.md}.
 */
package dev.gearfarm.gearmand.engine;
