/** The text admin protocol, byte-compatible with C gearmand 1.1.20 (see the project's protocol notes). */
package dev.gearfarm.gearmand.admin;
