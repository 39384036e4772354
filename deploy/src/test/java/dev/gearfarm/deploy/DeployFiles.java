package dev.gearfarm.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The files under {@code deploy/}, parsed, and every place they start one of our programs. */
final class DeployFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One Kubernetes object and the file it came from. */
    record K8sObject(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        String where() {
            return Repo.relative(file) + " " + kind() + "/" + name();
        }
    }

    /** A place in the deploy files that runs {@code program} with {@code args}. */
    record Usage(String program, String where, List<String> args) {
    }

    /** A systemd unit: its {@code Key=value} lines by section, in order. */
    record Unit(Path file, Map<String, List<Map.Entry<String, String>>> sections) {
        List<String> values(String section, String key) {
            return sections.getOrDefault(section, List.of()).stream().filter(e -> e.getKey().equals(key))
                    .map(Map.Entry::getValue).toList();
        }
    }

    private DeployFiles() {
    }

    static Map<String, Dockerfile> dockerfiles() {
        Map<String, Dockerfile> files = new LinkedHashMap<>();
        for (Path path : list(Repo.DEPLOY.resolve("docker"), ".Dockerfile")) {
            Dockerfile dockerfile = Dockerfile.read(path);
            files.put(dockerfile.program(), dockerfile);
        }
        return files;
    }

    /** The program a Dockerfile runs: its ENTRYPOINT's jar mapped back through COPY to the repository. */
    static Program program(Dockerfile dockerfile) {
        List<String> entrypoint = dockerfile.execForm("ENTRYPOINT");
        int cp = entrypoint.indexOf("-cp");
        int jarFlag = entrypoint.indexOf("-jar");
        String containerJar = cp >= 0 ? entrypoint.get(cp + 1) : jarFlag >= 0 ? entrypoint.get(jarFlag + 1) : null;
        if (containerJar == null) {
            throw new AssertionError(Repo.relative(dockerfile.path()) + ": ENTRYPOINT must run java -cp JAR MAIN or"
                    + " java -jar JAR; got " + entrypoint);
        }
        String source = dockerfile.copies().get(containerJar);
        if (source == null) {
            throw new AssertionError(Repo.relative(dockerfile.path()) + ": ENTRYPOINT runs " + containerJar
                    + " but no COPY puts it there");
        }
        return new Program(dockerfile.program(), Repo.ROOT.resolve(source), cp >= 0 ? entrypoint.get(cp + 2) : null);
    }

    static JsonNode compose() {
        return yaml(Repo.DEPLOY.resolve("compose.yaml")).get(0);
    }

    static JsonNode prometheus() {
        return yaml(Repo.DEPLOY.resolve("prometheus/prometheus.yml")).get(0);
    }

    static List<K8sObject> kubernetes() {
        List<K8sObject> objects = new ArrayList<>();
        for (Path file : list(Repo.DEPLOY.resolve("kubernetes"), ".yaml")) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            for (JsonNode node : yaml(file)) {
                objects.add(new K8sObject(file, node));
            }
        }
        return objects;
    }

    static List<Unit> systemdUnits() {
        List<Unit> units = new ArrayList<>();
        for (Path file : list(Repo.DEPLOY.resolve("systemd"), ".service")) {
            units.add(unit(file));
        }
        return units;
    }

    static Unit unit(Path file) {
        Map<String, List<Map.Entry<String, String>>> sections = new LinkedHashMap<>();
        String section = null;
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                    continue;
                }
                if (trimmed.startsWith("[")) {
                    section = trimmed.substring(1, trimmed.indexOf(']'));
                    continue;
                }
                int equals = trimmed.indexOf('=');
                if (section == null || equals < 0) {
                    throw new AssertionError(Repo.relative(file) + ": not a unit-file line: " + line);
                }
                sections.computeIfAbsent(section, s -> new ArrayList<>())
                        .add(Map.entry(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Unit(file, sections);
    }

    /** Every document of a YAML file; a parse error names the file. */
    static List<JsonNode> yaml(Path file) {
        try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
            List<JsonNode> documents = new ArrayList<>();
            var values = YAML.readValues(parser, JsonNode.class);
            while (values.hasNextValue()) {
                JsonNode node = values.nextValue();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.add(node);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new AssertionError(Repo.relative(file) + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** Every place the deploy files start one of our programs, with the arguments given to it. */
    static List<Usage> usages() {
        Map<String, Dockerfile> dockerfiles = dockerfiles();
        List<Usage> usages = new ArrayList<>();
        for (Dockerfile dockerfile : dockerfiles.values()) {
            if (dockerfile.last("CMD").isPresent()) {
                usages.add(new Usage(dockerfile.program(), Repo.relative(dockerfile.path()) + " CMD",
                        dockerfile.execForm("CMD")));
            }
        }
        JsonNode services = compose().path("services");
        services.fields().forEachRemaining(service -> {
            String program = composeProgram(service.getValue());
            if (program != null && service.getValue().has("command")) {
                usages.add(new Usage(program, "deploy/compose.yaml service " + service.getKey(),
                        strings(service.getValue().get("command"))));
            }
        });
        for (K8sObject object : kubernetes()) {
            for (JsonNode container : containers(object.node())) {
                String program = imageProgram(container.path("image").asText());
                if (program != null && dockerfiles.containsKey(program) && container.has("args")) {
                    usages.add(new Usage(program, object.where() + " container " + container.path("name").asText(),
                            strings(container.get("args"))));
                }
            }
        }
        for (Unit unit : systemdUnits()) {
            for (String execStart : unit.values("Service", "ExecStart")) {
                List<String> words = List.of(execStart.replace("%i", "9101").split("\\s+"));
                for (Dockerfile dockerfile : dockerfiles.values()) {
                    String jarName = program(dockerfile).jar().getFileName().toString();
                    int jarAt = indexOfSuffix(words, "/" + jarName);
                    if (jarAt >= 0) {
                        int argsFrom = words.get(jarAt - 1).equals("-jar") ? jarAt + 1 : jarAt + 2;
                        usages.add(new Usage(dockerfile.program(), Repo.relative(unit.file()) + " ExecStart",
                                words.subList(argsFrom, words.size())));
                    }
                }
            }
        }
        return usages;
    }

    /** The program of a compose service built from one of our Dockerfiles, or null. */
    static String composeProgram(JsonNode service) {
        String dockerfile = service.path("build").path("dockerfile").asText(null);
        if (dockerfile == null) {
            return null;
        }
        return Path.of(dockerfile).getFileName().toString().replace(".Dockerfile", "");
    }

    /** {@code gearfarm/NAME:TAG} is ours, built from {@code deploy/docker/NAME.Dockerfile}; other images give null. */
    static String imageProgram(String image) {
        if (!image.startsWith("gearfarm/")) {
            return null;
        }
        String rest = image.substring("gearfarm/".length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    /** The containers (and init containers) of a workload or pod template. */
    static List<JsonNode> containers(JsonNode object) {
        JsonNode spec = object.path("spec");
        JsonNode podSpec = spec.path("template").path("spec");
        if (object.path("kind").asText().equals("CronJob")) {
            podSpec = spec.path("jobTemplate").path("spec").path("template").path("spec");
        }
        List<JsonNode> containers = new ArrayList<>();
        podSpec.path("initContainers").forEach(containers::add);
        podSpec.path("containers").forEach(containers::add);
        return containers;
    }

    static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            values.addAll(List.of(node.asText().split("\\s+")));
        }
        return values;
    }

    private static int indexOfSuffix(List<String> words, String suffix) {
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).endsWith(suffix)) {
                return i;
            }
        }
        return -1;
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
