/**
 * The Gearman client: submit foreground and background jobs to one or more job servers and query their
 * status. Start with {@link dev.gearfarm.gearman.client.GearmanClient#create(ClientOptions)}.
 */
package dev.gearfarm.gearman.client;
