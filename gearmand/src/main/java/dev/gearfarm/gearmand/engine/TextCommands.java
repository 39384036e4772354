package dev.gearfarm.gearmand.engine;

/** Executes one text admin line against the engine and returns the exact reply bytes as text. */
public interface TextCommands {
    /** Called on the engine thread; returns the reply (ISO-8859-1 text), never null. */
    String execute(String line, Engine engine);
}
