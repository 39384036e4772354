/**
 * Connection plumbing shared by the client and the worker. <b>Not API</b>: anything here may change
 * without notice; applications use {@code dev.gearfarm.gearman.client} and {@code dev.gearfarm.gearman.worker}.
 *
 * <p>Threads: every {@link dev.gearfarm.gearman.internal.GearmanConnection} belongs to one Netty event
 * loop, which alone touches its pending-request queue and runs its {@link
 * dev.gearfarm.gearman.internal.Session} callbacks, so sessions keep their state without locks.
 * {@link dev.gearfarm.gearman.internal.ReconnectingConnection} guards its few fields with its monitor,
 * which is never held while calling out.
 */
package dev.gearfarm.gearman.internal;
