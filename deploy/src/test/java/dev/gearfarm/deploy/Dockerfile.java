package dev.gearfarm.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read as its instructions (continuation lines joined, comments dropped): enough to check
 * what it runs without a container engine.
 *
 * @param path         the file
 * @param instructions keyword (upper case) and the rest of the line, in order
 */
record Dockerfile(Path path, List<Map.Entry<String, String>> instructions) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENV_ASSIGNMENT = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S+)");

    static Dockerfile read(Path path) {
        List<Map.Entry<String, String>> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        try {
            for (String line : Files.readAllLines(path)) {
                String trimmed = line.strip();
                if (pending.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    continue;
                }
                pending.append(trimmed);
                String whole = pending.toString().strip();
                pending.setLength(0);
                int space = whole.indexOf(' ');
                instructions.add(Map.entry(whole.substring(0, space).toUpperCase(Locale.ROOT),
                        whole.substring(space + 1).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Dockerfile(path, List.copyOf(instructions));
    }

    /** The program's name: the file name without {@code .Dockerfile} ({@code gearmand}, {@code image-worker}). */
    String program() {
        return path.getFileName().toString().replace(".Dockerfile", "");
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.getKey().equals(keyword)).map(Map.Entry::getValue).toList();
    }

    Optional<String> last(String keyword) {
        List<String> all = all(keyword);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The exec-form (JSON array) value of the last {@code keyword} instruction; shell form is refused. */
    List<String> execForm(String keyword) {
        String value = last(keyword).orElseThrow(
                () -> new AssertionError(Repo.relative(path) + " has no " + keyword));
        if (!value.startsWith("[")) {
            throw new AssertionError(Repo.relative(path) + ": " + keyword + " must be in exec form (a JSON array) so"
                    + " the JVM is PID 1 and gets SIGTERM; got " + value);
        }
        try {
            return JSON.readValue(value, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new AssertionError(Repo.relative(path) + ": " + keyword + " is not a JSON array: " + value, e);
        }
    }

    /** Every {@code ENV} variable, later values winning. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String value : all("ENV")) {
            Matcher m = ENV_ASSIGNMENT.matcher(value);
            while (m.find()) {
                String v = m.group(2);
                env.put(m.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
            }
        }
        return env;
    }

    /** The ports of every {@code EXPOSE}. */
    List<Integer> exposed() {
        return all("EXPOSE").stream().flatMap(v -> List.of(v.split("\\s+")).stream())
                .map(p -> Integer.parseInt(p.replace("/tcp", ""))).toList();
    }

    /** {@code COPY} sources by destination (the last word is the destination). */
    Map<String, String> copies() {
        Map<String, String> copies = new LinkedHashMap<>();
        for (String value : all("COPY")) {
            List<String> words = List.of(value.split("\\s+")).stream().filter(w -> !w.startsWith("--")).toList();
            copies.put(words.get(words.size() - 1), words.get(0));
        }
        return copies;
    }
}
