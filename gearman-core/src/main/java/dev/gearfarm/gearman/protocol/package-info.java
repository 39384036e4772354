/**
 * The Gearman wire protocol: packet values, the enum of packet types that owns the wire codes, and the
 * Netty codec that frames binary packets and text admin lines on one connection.
 */
package dev.gearfarm.gearman.protocol;
