/**
 * Gearman worker: {@link dev.gearfarm.gearman.worker.GearmanWorker} registers functions with every
 * configured job server and runs their jobs on its own threads, at most
 * {@link dev.gearfarm.gearman.worker.WorkerOptions#concurrency()} at once.
 */
package dev.gearfarm.gearman.worker;
