package dev.gearfarm.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hosts on one machine: a network namespace each, joined by veth links to a bridge that lives in a
 * namespace of its own, addresses in 10.77.0.0/24. Nothing is added to the machine's own namespace, and
 * every name carries this run's prefix ({@code gf<pid>}) so parallel runs never meet. {@link #close()}
 * stops every process started here and removes every namespace; namespaces left by a run whose JVM died
 * are removed by the next one.
 */
final class Network implements AutoCloseable {
    /** The subnet's first three octets. */
    static final String SUBNET = "10.77.0.";
    private static final Pattern OUR_NAMESPACE = Pattern.compile("^(gf(\\d+))-\\S+");

    /** A host: its namespace, address, and the bridge-side end of its link. */
    record Host(String name, String namespace, String address, String bridgePort) {
    }

    private final String prefix;
    private final String bridge;
    private final Path logs;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();

    private Network(String prefix, Path logs) {
        this.prefix = prefix;
        this.bridge = prefix + "-br";
        this.logs = logs;
    }

    /** Creates the bridge, or skips (fails in CI) when this machine cannot make namespaces. */
    static Network create(Path logs) throws IOException, InterruptedException {
        String ip = Peers.require("ip", "building hosts from network namespaces (package iproute2)");
        Peers.requireThat(isRoot(), "network namespaces need root; run the several-machines test as root");
        removeStale(ip);
        Network network = new Network("gf" + ProcessHandle.current().pid(), logs);
        Files.createDirectories(logs);
        String failure = network.tryIp("netns", "add", network.bridge);
        Peers.requireThat(failure == null, "cannot create a network namespace here (" + failure
                + "); the several-machines test needs CAP_SYS_ADMIN");
        try {
            network.ip("-n", network.bridge, "link", "add", "br0", "type", "bridge");
            network.ip("-n", network.bridge, "link", "set", "br0", "up");
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** Adds a host {@code name} at {@code 10.77.0.<octet>}, linked to the bridge. */
    Host addHost(String name, int octet) throws IOException, InterruptedException {
        Host host = new Host(name, prefix + "-" + name, SUBNET + octet, prefix + name);
        ip("netns", "add", host.namespace());
        hosts.put(name, host);
        ip("-n", host.namespace(), "link", "add", "eth0", "type", "veth", "peer", "name", host.bridgePort(),
                "netns", bridge);
        ip("-n", host.namespace(), "addr", "add", host.address() + "/24", "dev", "eth0");
        ip("-n", host.namespace(), "link", "set", "lo", "up");
        ip("-n", host.namespace(), "link", "set", "eth0", "up");
        ip("-n", bridge, "link", "set", host.bridgePort(), "master", "br0");
        ip("-n", bridge, "link", "set", host.bridgePort(), "up");
        return host;
    }

    /** Cuts the host off: its link goes down at the bridge, so nothing it sent or was sent arrives, and no FIN or RST either. */
    void cut(Host host) throws IOException, InterruptedException {
        ip("-n", bridge, "link", "set", host.bridgePort(), "down");
    }

    /** Brings a cut host's link back. */
    void restore(Host host) throws IOException, InterruptedException {
        ip("-n", bridge, "link", "set", host.bridgePort(), "up");
    }

    /** Starts {@code command} on {@code host}, output to {@code <logs>/<logName>.log}; stopped by {@link #close()}. */
    Process start(Host host, String logName, List<String> command) throws IOException {
        Process process = new ProcessBuilder(inHost(host, command)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(logName).toFile())).start();
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    /** What a finished command on a host left. */
    record Result(int exitCode, String output) {
    }

    /** Runs {@code command} on {@code host} to completion (stdout and stderr together). */
    Result run(Host host, int timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(logs, "run-", ".out");
        try {
            Process process = new ProcessBuilder(inHost(host, command)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                return new Result(-1, command + " did not finish within " + timeoutSeconds + " s: "
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The log of a process started as {@code logName}. */
    Path log(String logName) {
        return file(logName + ".log");
    }

    /** A file in this run's folder (next to the logs). */
    Path file(String name) {
        return logs.resolve(name);
    }

    /** Stops a process started here: SIGTERM, then SIGKILL after {@code graceSeconds}. */
    static void stop(Process process, int graceSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        List<String> failures = new ArrayList<>();
        synchronized (processes) {
            for (Process process : processes) {
                stop(process, 5);
            }
        }
        for (Host host : hosts.values()) {
            String failure = tryIp("netns", "del", host.namespace());
            if (failure != null) {
                failures.add(failure);
            }
        }
        String failure = tryIp("netns", "del", bridge);
        if (failure != null) {
            failures.add(failure);
        }
        if (!failures.isEmpty()) {
            throw new IOException("could not remove every namespace of " + prefix + ": " + failures);
        }
    }

    private List<String> inHost(Host host, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
        full.addAll(command);
        return full;
    }

    private void ip(String... args) throws IOException, InterruptedException {
        String failure = tryIp(args);
        if (failure != null) {
            throw new IOException(failure);
        }
    }

    /** Runs {@code ip args}; null when it succeeded, else what it said. */
    private String tryIp(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " hung";
        }
        return process.exitValue() == 0 ? null : String.join(" ", command) + ": " + output.strip();
    }

    /** Removes namespaces of earlier runs whose JVM is gone (killed before it could clean up). */
    private static void removeStale(String ip) throws IOException, InterruptedException {
        Process list = new ProcessBuilder(ip, "netns", "list").redirectErrorStream(true).start();
        String output = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor(10, TimeUnit.SECONDS);
        for (String line : output.split("\n")) {
            Matcher name = OUR_NAMESPACE.matcher(line.strip());
            if (name.find() && ProcessHandle.of(Long.parseLong(name.group(2))).isEmpty()) {
                new ProcessBuilder(ip, "netns", "del", line.strip().split("\\s+")[0]).start().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[1].equals("0");
            }
        }
        return false;
    }
}
