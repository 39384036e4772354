/** The {@code thumbnail} command-line tool. */
package dev.gearfarm.thumbnail;
