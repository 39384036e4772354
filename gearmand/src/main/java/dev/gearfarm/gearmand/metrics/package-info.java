/**
 * Prometheus metrics and a health check over HTTP ({@code gearmand --http-port}): job counters and
 * latency histograms fed by {@link dev.gearfarm.gearmand.engine.JobEvents}, queue gauges read from the
 * engine at scrape time. Nothing here runs on an event loop.
 */
package dev.gearfarm.gearmand.metrics;
