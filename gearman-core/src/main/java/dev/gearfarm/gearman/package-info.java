/** Gearman library: protocol codec, and the types shared by clients, workers and servers. */
package dev.gearfarm.gearman;
