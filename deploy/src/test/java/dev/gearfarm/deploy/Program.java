package dev.gearfarm.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of our programs as a container runs it: a fat jar in the repository and how the JVM starts it,
 * either {@code -cp JAR MAIN} or {@code -jar JAR}.
 *
 * @param name      the program ({@code gearmand}, {@code image-worker}, {@code thumbnail})
 * @param jar       the fat jar in the repository after {@code mvn package}
 * @param mainClass the class named on the command line, or null for {@code -jar}
 */
record Program(String name, Path jar, String mainClass) {
    /** An option line of picocli-style help: the option column starts within the first few columns. */
    private static final Pattern OPTION_LINE = Pattern.compile("^\\s{0,8}(-[^\\s].*)$");
    private static final Pattern FLAG = Pattern.compile("^(--?)(\\[no-])?([A-Za-z0-9][\\w-]*)");

    /** The command that runs this program with {@code args}. */
    List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Repo.java()));
        if (mainClass == null) {
            command.addAll(List.of("-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", jar.toString(), mainClass));
        }
        command.addAll(args);
        return command;
    }

    /** The class the JVM starts: the named one, or the jar manifest's {@code Main-Class}. */
    String entryClass() throws IOException {
        if (mainClass != null) {
            return mainClass;
        }
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            return jarFile.getManifest() == null ? null
                    : jarFile.getManifest().getMainAttributes().getValue("Main-Class");
        }
    }

    /** Whether the jar holds {@code className}. */
    boolean hasClass(String className) throws IOException {
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            return jarFile.getEntry(className.replace('.', '/') + ".class") != null;
        }
    }

    /** What {@code --help} prints; fails with what it printed when it does not exit 0. */
    String help() throws IOException, InterruptedException {
        Path out = Files.createTempFile("help-", ".txt");
        try {
            Process process = new ProcessBuilder(command(List.of("--help"))).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command(List.of("--help"))) + " did not finish in 60 s");
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command(List.of("--help"))) + " exited with "
                        + process.exitValue() + ": " + text);
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Every flag the help lists: {@code -p}, {@code --port}, and both forms of {@code --[no-]x}. */
    static Set<String> flagsIn(String help) {
        Set<String> flags = new LinkedHashSet<>();
        for (String line : help.split("\n")) {
            Matcher option = OPTION_LINE.matcher(line);
            if (!option.matches()) {
                continue;
            }
            // The option column ends where the description starts, after two or more spaces.
            String column = option.group(1).split("\\s{2,}")[0];
            for (String part : column.split(",\\s*")) {
                Matcher flag = FLAG.matcher(part.strip());
                if (flag.find()) {
                    flags.add(flag.group(1) + flag.group(3));
                    if (flag.group(2) != null) {
                        flags.add(flag.group(1) + "no-" + flag.group(3));
                    }
                }
            }
        }
        return flags;
    }

    /** The flags in an argument list: words that start with a dash and are not negative numbers. */
    static List<String> flagsUsed(List<String> args) {
        List<String> flags = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (arg.startsWith("-") && arg.length() > 1 && !arg.matches("-\\d+(\\.\\d+)?")) {
                int equals = arg.indexOf('=');
                flags.add(equals < 0 ? arg : arg.substring(0, equals));
            }
        }
        return flags;
    }

    /** The value after {@code flag} (or in {@code flag=value}), or null. */
    static String valueOf(List<String> args, String flag) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(flag) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (args.get(i).startsWith(flag + "=")) {
                return args.get(i).substring(flag.length() + 1);
            }
        }
        return null;
    }

    /** Every value of a repeatable {@code flag}. */
    static List<String> valuesOf(List<String> args, String flag) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(flag) && i + 1 < args.size()) {
                values.add(args.get(i + 1));
            } else if (args.get(i).startsWith(flag + "=")) {
                values.add(args.get(i).substring(flag.length() + 1));
            }
        }
        return values;
    }
}
