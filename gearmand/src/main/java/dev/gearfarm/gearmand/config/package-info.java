/** Server settings and logging set-up, filled from the command line. */
package dev.gearfarm.gearmand.config;
