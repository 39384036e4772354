/** Command-line tools shipped in the server jar: {@code gearadmin}. */
package dev.gearfarm.gearmand.tools;
