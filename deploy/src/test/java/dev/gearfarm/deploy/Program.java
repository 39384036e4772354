package dev.gearfarm.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** An option line of picocli-style help: indented by 2 to 8 columns (prose and usage lines are not). */
    private static final Pattern OPTION_LINE = Pattern.compile("^\\s{2,8}(-[^\\s].*)$");
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

    /** Whether a flag takes a value: never, always, or optionally ({@code --flag[=VALUE]}). */
    enum Arity { NONE, REQUIRED, OPTIONAL }

    /** Every flag the help lists ({@code -p}, {@code --port}, both forms of {@code --[no-]x}) and whether it takes a value. */
    static Map<String, Arity> flagsIn(String help) {
        Map<String, Arity> flags = new LinkedHashMap<>();
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
                    String rest = part.strip().substring(flag.end());
                    Arity arity = rest.startsWith("[") ? Arity.OPTIONAL
                            : rest.startsWith("=") || rest.startsWith(" ") ? Arity.REQUIRED : Arity.NONE;
                    flags.put(flag.group(1) + flag.group(3), arity);
                    if (flag.group(2) != null) {
                        flags.put(flag.group(1) + "no-" + flag.group(3), arity);
                    }
                }
            }
        }
        return flags;
    }

    /**
     * What is wrong with an argument list given the flags' arities: a flag that needs a value and has
     * none, or a word that no flag takes (a value given to a flag that takes none). Empty when fine.
     */
    static List<String> structureProblems(List<String> args, Map<String, Arity> flags) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            Arity arity = flags.get(name);
            if (arity == null) {
                if (!isFlag(arg)) {
                    problems.add("'" + arg + "' follows " + (i == 0 ? "nothing" : args.get(i - 1))
                            + ", which takes no value");
                } else if (i + 1 < args.size() && !isFlag(args.get(i + 1))) {
                    // An unknown flag is reported on its own; its value is not a second problem.
                    i++;
                }
                continue;
            }
            if (arity == Arity.REQUIRED && !arg.contains("=")) {
                if (i + 1 >= args.size() || isFlag(args.get(i + 1))) {
                    problems.add(arg + " needs a value");
                } else {
                    i++;
                }
            }
        }
        return problems;
    }

    private static boolean isFlag(String arg) {
        return arg.startsWith("-") && arg.length() > 1 && !arg.matches("-\\d+(\\.\\d+)?");
    }

    /** The flags in an argument list: words that start with a dash and are not negative numbers. */
    static List<String> flagsUsed(List<String> args) {
        List<String> flags = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--")) {
                break;
            }
            if (isFlag(arg)) {
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
