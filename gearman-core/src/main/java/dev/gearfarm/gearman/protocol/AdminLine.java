package dev.gearfarm.gearman.protocol;

/** One line of the text admin protocol, without its line ending (for example {@code "status"}). */
public record AdminLine(String text) {
    public AdminLine {
        if (text == null) {
            throw new IllegalArgumentException("text is required");
        }
    }
}
