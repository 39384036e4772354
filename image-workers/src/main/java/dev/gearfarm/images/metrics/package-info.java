/** The image worker's Prometheus metrics (Micrometer) and the small HTTP server for {@code /metrics} and {@code /health}. */
package dev.gearfarm.images.metrics;
