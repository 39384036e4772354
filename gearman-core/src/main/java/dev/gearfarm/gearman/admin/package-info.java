/**
 * A typed client for the text admin protocol ({@code status}, {@code workers}, {@code show jobs},
 * {@code maxqueue}, ...) that C gearmand, our server and the Perl server speak on the job port.
 *
 * <p>{@link dev.gearfarm.gearman.admin.GearmanAdmin} holds one blocking connection and sends one command
 * at a time; replies are parsed strictly into records, and a line that does not have the documented form
 * is a {@link dev.gearfarm.gearman.admin.MalformedReplyException} naming it. An {@code ERR} reply is an
 * {@link dev.gearfarm.gearman.admin.AdminException}; a lost or silent connection is a
 * {@link dev.gearfarm.gearman.GearmanConnectionException} or {@link dev.gearfarm.gearman.GearmanTimeoutException}.
 */
package dev.gearfarm.gearman.admin;
