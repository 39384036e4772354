/** Netty transport: accepts connections, decodes and encodes on I/O threads, and feeds the engine. */
package dev.gearfarm.gearmand.net;
