package dev.gearfarm.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gearfarm.deploy.DeployFiles.K8sObject;
import dev.gearfarm.deploy.DeployFiles.Unit;
import dev.gearfarm.deploy.DeployFiles.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the deploy files without a container engine or cluster: they parse, they reference images,
 * ports, names and flags that exist, and every flag is one the program's own {@code --help} lists.
 * Each check collects every problem and reports them all at once, each naming the file and the fix.
 */
class DeployFilesTest {
    /**
     * Flags the deploy files use before the programs have them: the metrics endpoints land with their own
     * piece of issue 6. Remove an entry when its flag lands; an entry whose flag exists fails this test so
     * the list cannot go stale. No other exceptions belong here.
     */
    static final Map<String, Set<String>> PENDING_FLAGS = Map.of();

    /** The Gearman port when gearmand's command line does not name one. */
    private static final int GEARMAN_DEFAULT_PORT = 4730;
    private static final Pattern PINNED_TAG = Pattern.compile(".*(\\d+\\.\\d+|\\d{4}-\\d{2}-\\d{2}).*");
    private static final Pattern URL_PORT = Pattern.compile("https?://([^:/]+):(\\d+)");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\((\\w+)\\)");
    private static final List<String> HARDENING = List.of("ProtectSystem=strict", "NoNewPrivileges=yes",
            "PrivateTmp=yes", "ProtectHome=yes", "Restart=on-failure");

    private final List<String> problems = new ArrayList<>();

    @Test
    void everyYamlFileParsesAndEveryManifestIsComplete() throws IOException {
        try (Stream<Path> files = Files.walk(Repo.DEPLOY)) {
            List<Path> yamls = files.filter(f -> !f.startsWith(Repo.DEPLOY.resolve("target"))
                    && !f.startsWith(Repo.DEPLOY.resolve("src"))
                    && f.toString().matches(".*\\.ya?ml$")).toList();
            assertThat(yamls).hasSizeGreaterThanOrEqualTo(8);
            for (Path yaml : yamls) {
                assertThat(DeployFiles.yaml(yaml)).as(Repo.relative(yaml) + " has no documents").isNotEmpty();
            }
        }
        for (K8sObject object : DeployFiles.kubernetes()) {
            for (String field : List.of("apiVersion", "kind")) {
                check(object.node().hasNonNull(field), object.file() + ": a document has no " + field);
            }
            check(!object.name().isEmpty(), object.where() + " has no metadata.name");
        }
        JsonNode kustomization = DeployFiles.yaml(Repo.DEPLOY.resolve("kubernetes/kustomization.yaml")).get(0);
        Set<String> listed = new HashSet<>(DeployFiles.strings(kustomization.path("resources")));
        try (Stream<Path> files = Files.list(Repo.DEPLOY.resolve("kubernetes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String name = file.getFileName().toString();
                check(name.equals("kustomization.yaml") || listed.contains(name),
                        "deploy/kubernetes/" + name + " is not in kustomization.yaml's resources; add it");
            }
        }
        for (String resource : listed) {
            check(Files.exists(Repo.DEPLOY.resolve("kubernetes").resolve(resource)),
                    "kustomization.yaml lists " + resource + ", which does not exist");
        }
        assertNoProblems();
    }

    @Test
    void dockerfilesPinTheirBaseRunAsNonRootExposeAndCheckHealth() {
        Map<String, Dockerfile> dockerfiles = DeployFiles.dockerfiles();
        assertThat(dockerfiles).containsKeys("gearmand", "image-worker");
        for (Dockerfile dockerfile : dockerfiles.values()) {
            String where = Repo.relative(dockerfile.path());
            for (String from : dockerfile.all("FROM")) {
                String image = from.split("\\s+")[0];
                check(pinned(image), where + ": FROM " + image + " is not pinned; name a full version tag or a digest");
            }
            String user = dockerfile.last("USER").orElse("root");
            check(!user.split(":")[0].equals("root") && !user.split(":")[0].equals("0"),
                    where + ": runs as " + user + "; add USER with a non-root uid");
            check(user.split(":")[0].matches("\\d+"), where + ": USER " + user
                    + " is not numeric; Kubernetes' runAsNonRoot can only verify a numeric uid");
            List<String> cmd = dockerfile.last("CMD").isPresent() ? dockerfile.execForm("CMD") : List.of();
            dockerfile.execForm("ENTRYPOINT");
            List<Integer> exposed = dockerfile.exposed();
            for (int port : listeningPorts(dockerfile.program(), cmd)) {
                check(exposed.contains(port), where + ": CMD listens on " + port + " but EXPOSE lists " + exposed);
            }
            if (!exposed.isEmpty()) {
                String health = dockerfile.last("HEALTHCHECK").orElse("");
                check(!health.isEmpty(), where + " serves ports " + exposed + " but has no HEALTHCHECK");
                Matcher url = URL_PORT.matcher(health);
                check(url.find() && url.group(2).equals(Program.valueOf(cmd, "--http-port")),
                        where + ": HEALTHCHECK must ask the --http-port of CMD (" + Program.valueOf(cmd, "--http-port")
                                + ") for /health; it is: " + health);
            }
            String javaOptions = dockerfile.env().getOrDefault("JAVA_TOOL_OPTIONS", "");
            check(javaOptions.contains("-XX:MaxRAMPercentage="),
                    where + ": JAVA_TOOL_OPTIONS should size the heap from the container limit (-XX:MaxRAMPercentage)");
        }
        assertNoProblems();
    }

    @TestFactory
    Stream<DynamicTest> dockerfilesRunJarsAndClassesThatExist() {
        return DeployFiles.dockerfiles().values().stream().map(dockerfile -> dynamicTest(dockerfile.program(), () -> {
            Program program = DeployFiles.program(dockerfile);
            requireJar(program);
            String entryClass = program.entryClass();
            assertThat(entryClass).as(Repo.relative(program.jar()) + " has no Main-Class in its manifest, but "
                    + Repo.relative(dockerfile.path()) + " runs it with java -jar").isNotNull();
            assertThat(program.hasClass(entryClass)).as(Repo.relative(dockerfile.path()) + " starts " + entryClass
                    + ", which is not in " + Repo.relative(program.jar())).isTrue();
        }));
    }

    @Test
    void jvmOptionsAreAcceptedByTheJvm() throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (Dockerfile dockerfile : DeployFiles.dockerfiles().values()) {
            options.put(Repo.relative(dockerfile.path()) + " JAVA_TOOL_OPTIONS",
                    dockerfile.env().getOrDefault("JAVA_TOOL_OPTIONS", ""));
        }
        try (Stream<Path> envFiles = Files.list(Repo.DEPLOY.resolve("systemd/env"))) {
            for (Path envFile : envFiles.sorted().toList()) {
                for (String line : Files.readAllLines(envFile)) {
                    if (line.startsWith("JAVA_OPTS=")) {
                        options.put(Repo.relative(envFile) + " JAVA_OPTS", line.substring("JAVA_OPTS=".length()));
                    }
                }
            }
        }
        assertThat(options).hasSizeGreaterThanOrEqualTo(4);
        for (Map.Entry<String, String> entry : options.entrySet()) {
            List<String> command = new ArrayList<>(List.of(Repo.java()));
            command.addAll(List.of(entry.getValue().split("\\s+")));
            command.add("-version");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            check(process.exitValue() == 0, entry.getKey() + " is refused by the JVM: " + output.strip());
        }
        assertNoProblems();
    }

    @TestFactory
    Stream<DynamicTest> everyFlagIsInTheProgramsOwnHelp() {
        List<Usage> usages = DeployFiles.usages();
        Map<String, Dockerfile> dockerfiles = DeployFiles.dockerfiles();
        return dockerfiles.keySet().stream().filter(p -> usages.stream().anyMatch(u -> u.program().equals(p)))
                .map(name -> dynamicTest(name, () -> {
                    Program program = DeployFiles.program(dockerfiles.get(name));
                    requireJar(program);
                    String helpCommand = String.join(" ", program.command(List.of("--help")))
                            .replace(Repo.ROOT + "/", "");
                    Map<String, Program.Arity> known = Program.flagsIn(program.help());
                    assertThat(known).as("no flags found in the output of " + helpCommand).isNotEmpty();
                    Set<String> pending = PENDING_FLAGS.getOrDefault(name, Set.of());
                    Map<String, List<String>> missing = new LinkedHashMap<>();
                    Map<String, List<String>> waiting = new LinkedHashMap<>();
                    for (Usage usage : usages) {
                        if (!usage.program().equals(name)) {
                            continue;
                        }
                        for (String flag : Program.flagsUsed(usage.args())) {
                            if (!known.containsKey(flag)) {
                                (pending.contains(flag) ? waiting : missing)
                                        .computeIfAbsent(flag, f -> new ArrayList<>()).add(usage.where());
                            }
                        }
                    }
                    for (Usage usage : usages) {
                        if (usage.program().equals(name)) {
                            // A pending flag's arity is unknown until it lands; assume it takes a value.
                            Map<String, Program.Arity> arities = new LinkedHashMap<>(known);
                            pending.forEach(f -> arities.putIfAbsent(f, Program.Arity.REQUIRED));
                            Program.structureProblems(usage.args(), arities).forEach(p -> problems.add(usage.where()
                                    + ": " + p + " (see `" + helpCommand + "`)"));
                        }
                    }
                    missing.forEach((flag, where) -> problems.add(name + " has no " + flag + " (not in `"
                            + helpCommand + "`), used in " + String.join(", ", where) + "; use the program's flag"
                            + " or drop it"));
                    for (String flag : pending) {
                        check(!known.containsKey(flag), name + " now has " + flag + ": remove it from"
                                + " DeployFilesTest.PENDING_FLAGS");
                    }
                    assertNoProblems();
                    Assumptions.assumeTrue(waiting.isEmpty(), () -> "every other flag checked; pending (PENDING_FLAGS,"
                            + " the metrics work of issue 6): " + name + " lacks " + waiting.keySet() + ", used in "
                            + waiting.values().stream().flatMap(List::stream).distinct().toList());
                }));
    }

    @Test
    void composeServicesReferenceImagesPortsAndServicesThatExist() {
        JsonNode compose = DeployFiles.compose();
        JsonNode services = compose.path("services");
        Map<String, Dockerfile> dockerfiles = DeployFiles.dockerfiles();
        assertThat(services.has("gearmand") && services.has("image-worker") && services.has("minio")
                && services.has("prometheus")).as("compose.yaml runs gearmand, image-worker, minio and prometheus")
                .isTrue();
        check(services.path("image-worker").path("deploy").path("replicas").asInt() >= 2,
                "compose.yaml: image-worker needs deploy.replicas of 2 or more");
        Map<String, List<Integer>> containerPorts = new HashMap<>();
        services.fields().forEachRemaining(entry -> containerPorts.put(entry.getKey(), composePorts(entry.getValue())));

        services.fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            JsonNode service = entry.getValue();
            String where = "deploy/compose.yaml service " + name;
            String program = DeployFiles.composeProgram(service);
            if (program != null) {
                check(dockerfiles.containsKey(program), where + " builds " + program + " from a Dockerfile that is"
                        + " not in deploy/docker");
                check(Files.exists(Repo.DEPLOY.resolve(service.path("build").path("context").asText(".")).normalize()
                        .resolve(service.path("build").path("dockerfile").asText())),
                        where + ": build.dockerfile does not exist relative to build.context");
                check(program.equals(DeployFiles.imageProgram(service.path("image").asText())),
                        where + " should tag its build gearfarm/" + program + ":VERSION, as the Kubernetes files name it");
                if (!dockerfiles.containsKey(program)) {
                    return;
                }
                List<String> args = service.has("command") ? DeployFiles.strings(service.get("command"))
                        : dockerfiles.get(program).execForm("CMD");
                List<Integer> listening = listeningPorts(program, args);
                for (int port : containerPorts.get(name)) {
                    check(listening.contains(port), where + " publishes container port " + port
                            + " but the program listens on " + listening);
                }
                for (int port : listening) {
                    check(dockerfiles.get(program).exposed().contains(port), where + " listens on " + port
                            + " which " + program + ".Dockerfile does not EXPOSE");
                }
                String health = service.path("healthcheck").path("test").toString();
                Matcher url = URL_PORT.matcher(health);
                if (url.find()) {
                    check(url.group(2).equals(Program.valueOf(args, "--http-port")), where
                            + ": healthcheck asks port " + url.group(2) + " but --http-port is "
                            + Program.valueOf(args, "--http-port"));
                }
                for (String server : Program.valuesOf(args, "--server")) {
                    String[] hostPort = server.split(":");
                    check(services.has(hostPort[0]) && hostPort.length == 2
                                    && listeningPorts("gearmand", composeArgs(services.path(hostPort[0]), dockerfiles))
                                    .contains(Integer.parseInt(hostPort[1])),
                            where + ": --server " + server + " is not a gearmand service listening on that port");
                }
                String s3 = Program.valueOf(args, "--s3-endpoint");
                if (s3 != null) {
                    Matcher s3Url = URL_PORT.matcher(s3);
                    check(s3Url.find() && containerPorts.getOrDefault(s3Url.group(1), List.of())
                            .contains(Integer.parseInt(s3Url.group(2))), where + ": --s3-endpoint " + s3
                            + " is not a service port in compose.yaml");
                }
            } else {
                String image = service.path("image").asText();
                check(pinned(image), where + ": image " + image + " is not pinned; name a release tag or digest");
            }
            service.path("depends_on").fields().forEachRemaining(dependency -> {
                JsonNode target = services.path(dependency.getKey());
                String condition = dependency.getValue().path("condition").asText();
                check(!target.isMissingNode(), where + " depends on " + dependency.getKey() + ", which is not a service");
                if (condition.equals("service_healthy")) {
                    String targetProgram = DeployFiles.composeProgram(target);
                    check(target.has("healthcheck") || targetProgram != null
                                    && dockerfiles.get(targetProgram).last("HEALTHCHECK").isPresent(),
                            where + " waits for " + dependency.getKey() + " to be healthy, but it has no healthcheck");
                }
                if (condition.equals("service_completed_successfully")) {
                    check(target.path("restart").asText("no").equals("no"), where + " waits for "
                            + dependency.getKey() + " to complete, but it restarts");
                }
            });
            for (String volume : DeployFiles.strings(service.path("volumes"))) {
                String source = volume.split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    check(Files.exists(Repo.DEPLOY.resolve(source).normalize()),
                            where + " mounts " + source + ", which does not exist next to compose.yaml");
                } else {
                    check(compose.path("volumes").has(source), where + " uses volume " + source
                            + ", which is not declared under volumes:");
                }
            }
        });
        assertNoProblems();
    }

    @Test
    void prometheusScrapesTheMetricsPortOfEachProgram() {
        JsonNode services = DeployFiles.compose().path("services");
        Map<String, Dockerfile> dockerfiles = DeployFiles.dockerfiles();
        Set<String> scraped = new HashSet<>();
        for (JsonNode job : DeployFiles.prometheus().path("scrape_configs")) {
            String name = job.path("job_name").asText();
            List<String> targets = new ArrayList<>();
            job.path("static_configs").forEach(c -> targets.addAll(DeployFiles.strings(c.path("targets"))));
            job.path("dns_sd_configs").forEach(c -> DeployFiles.strings(c.path("names"))
                    .forEach(n -> targets.add(n + ":" + c.path("port").asText())));
            check(!targets.isEmpty(), "prometheus.yml job " + name + " has no targets");
            for (String target : targets) {
                String host = target.split(":")[0];
                String port = target.split(":")[1];
                JsonNode service = services.path(host);
                check(!service.isMissingNode(), "prometheus.yml job " + name + " scrapes " + host
                        + ", which is not a service in compose.yaml");
                if (DeployFiles.composeProgram(service) != null) {
                    scraped.add(host);
                    check(port.equals(Program.valueOf(composeArgs(service, dockerfiles), "--http-port")),
                            "prometheus.yml job " + name + " scrapes " + target + " but " + host + "'s --http-port is "
                                    + Program.valueOf(composeArgs(service, dockerfiles), "--http-port"));
                }
            }
        }
        check(scraped.containsAll(Set.of("gearmand", "image-worker")),
                "prometheus.yml must scrape gearmand and image-worker; it scrapes " + scraped);
        assertNoProblems();
    }

    @Test
    void kubernetesServicesProbesPortsAndReferencesResolve() {
        List<K8sObject> objects = DeployFiles.kubernetes();
        Map<String, K8sObject> byKindName = new HashMap<>();
        objects.forEach(o -> byKindName.put(o.kind() + "/" + o.name(), o));
        List<K8sObject> workloads = objects.stream()
                .filter(o -> Set.of("Deployment", "StatefulSet", "Job", "DaemonSet").contains(o.kind())).toList();
        Map<String, Dockerfile> dockerfiles = DeployFiles.dockerfiles();
        for (String required : List.of("StatefulSet/gearmand", "Deployment/image-worker",
                "HorizontalPodAutoscaler/image-worker", "Deployment/minio", "Service/minio", "Job/minio-buckets")) {
            check(byKindName.containsKey(required), "deploy/kubernetes has no " + required);
        }

        for (K8sObject workload : workloads) {
            JsonNode labels = workload.node().path("spec").path("template").path("metadata").path("labels");
            workload.node().path("spec").path("selector").path("matchLabels").fields().forEachRemaining(l ->
                    check(labels.path(l.getKey()).asText().equals(l.getValue().asText()),
                            workload.where() + ": selector " + l.getKey() + "=" + l.getValue().asText()
                                    + " does not match the pod template's labels"));
            Set<String> volumes = new HashSet<>();
            workload.node().path("spec").path("template").path("spec").path("volumes")
                    .forEach(v -> volumes.add(v.path("name").asText()));
            workload.node().path("spec").path("volumeClaimTemplates")
                    .forEach(v -> volumes.add(v.path("metadata").path("name").asText()));
            for (JsonNode container : DeployFiles.containers(workload.node())) {
                String where = workload.where() + " container " + container.path("name").asText();
                String image = container.path("image").asText();
                String program = DeployFiles.imageProgram(image);
                check(program != null ? dockerfiles.containsKey(program) : pinned(image), where + ": image " + image
                        + (program != null ? " is not built by any deploy/docker Dockerfile" : " is not pinned"));
                container.path("volumeMounts").forEach(m -> check(volumes.contains(m.path("name").asText()),
                        where + " mounts volume " + m.path("name").asText() + ", which the pod does not define"));
                Map<String, String> env = containerEnv(container, byKindName, where);
                List<String> args = DeployFiles.strings(container.path("args"));
                for (String arg : args) {
                    Matcher reference = ENV_REFERENCE.matcher(arg);
                    while (reference.find()) {
                        check(env.containsKey(reference.group(1)), where + ": args use $(" + reference.group(1)
                                + "), which no env or envFrom defines");
                    }
                }
                Map<String, Integer> ports = new HashMap<>();
                container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    JsonNode port = container.path(probe).path("httpGet").path("port");
                    if (!port.isMissingNode()) {
                        check(port.isInt() ? ports.containsValue(port.asInt()) : ports.containsKey(port.asText()),
                                where + ": " + probe + " uses port " + port.asText() + ", which the container does not declare");
                    }
                }
                if (program == null || !dockerfiles.containsKey(program)) {
                    continue;
                }
                check(container.path("resources").path("limits").has("memory")
                                && container.path("resources").path("requests").has("cpu"),
                        where + " needs resources.requests.cpu and resources.limits.memory");
                List<Integer> listening = listeningPorts(program, args);
                check(new HashSet<>(listening).equals(new HashSet<>(ports.values())), where + " declares container ports "
                        + ports + " but the program listens on " + listening);
                String httpPort = Program.valueOf(args, "--http-port");
                check(ports.getOrDefault("metrics", -1).toString().equals(httpPort), where
                        + ": the port named metrics must be --http-port " + httpPort);
                String scrapePort = workload.node().path("spec").path("template").path("metadata").path("annotations")
                        .path("prometheus.io/port").asText();
                check(scrapePort.equals(httpPort), where + ": annotation prometheus.io/port " + scrapePort
                        + " is not --http-port " + httpPort);
                List<String> servers = Program.valuesOf(args, "--server");
                checkServers(where, servers, objects, dockerfiles);
                String s3 = Program.valueOf(args, "--s3-endpoint");
                if (s3 != null) {
                    Matcher url = URL_PORT.matcher(ENV_REFERENCE.matcher(s3).replaceAll(m -> env.getOrDefault(m.group(1), "")));
                    check(url.find() && serviceHasPort(byKindName.get("Service/" + url.group(1)), url.group(2)),
                            where + ": --s3-endpoint " + s3 + " is not the address of a Service in deploy/kubernetes");
                }
            }
        }

        for (K8sObject service : objects.stream().filter(o -> o.kind().equals("Service")).toList()) {
            JsonNode selector = service.node().path("spec").path("selector");
            List<K8sObject> selected = workloads.stream().filter(w -> matches(selector,
                    w.node().path("spec").path("template").path("metadata").path("labels"))).toList();
            check(!selected.isEmpty(), service.where() + " selects no workload");
            for (JsonNode port : service.node().path("spec").path("ports")) {
                JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
                boolean found = selected.stream().flatMap(w -> DeployFiles.containers(w.node()).stream())
                        .flatMap(c -> stream(c.path("ports")))
                        .anyMatch(p -> target.isInt() ? p.path("containerPort").asInt() == target.asInt()
                                : p.path("name").asText().equals(target.asText()));
                check(found, service.where() + ": targetPort " + target.asText() + " is no container port of the"
                        + " pods it selects");
            }
        }

        K8sObject statefulSet = byKindName.get("StatefulSet/gearmand");
        if (statefulSet != null) {
            K8sObject headless = byKindName.get("Service/" + statefulSet.node().path("spec").path("serviceName").asText());
            check(headless != null && headless.node().path("spec").path("clusterIP").asText().equals("None"),
                    statefulSet.where() + ": serviceName must be a headless Service (clusterIP: None) for per-pod names");
            check(statefulSet.node().path("spec").path("volumeClaimTemplates").size() > 0,
                    statefulSet.where() + " needs a volumeClaimTemplate for the queue journal");
        }

        K8sObject hpa = byKindName.get("HorizontalPodAutoscaler/image-worker");
        if (hpa != null) {
            JsonNode target = hpa.node().path("spec").path("scaleTargetRef");
            check(byKindName.containsKey(target.path("kind").asText() + "/" + target.path("name").asText()),
                    hpa.where() + " scales " + target + ", which is not in deploy/kubernetes");
            String adapterRules = read(Repo.DEPLOY.resolve("kubernetes/prometheus-adapter/rules.yaml"));
            for (JsonNode metric : hpa.node().path("spec").path("metrics")) {
                String metricName = metric.path("external").path("metric").path("name").asText();
                check(metric.path("type").asText().equals("External")
                                && adapterRules.contains("as: \"" + metricName + "\""),
                        hpa.where() + " reads external metric " + metricName
                                + ", which prometheus-adapter/rules.yaml does not publish");
            }
        }
        assertNoProblems();
    }

    @Test
    void systemdUnitsAreHardenedAndVerify() throws Exception {
        List<Unit> units = DeployFiles.systemdUnits();
        assertThat(units).extracting(u -> u.file().getFileName().toString())
                .contains("gearmand.service", "image-worker@.service");
        for (Unit unit : units) {
            String where = Repo.relative(unit.file());
            for (String setting : HARDENING) {
                String[] keyValue = setting.split("=", 2);
                check(unit.values("Service", keyValue[0]).contains(keyValue[1]), where + " needs " + setting);
            }
            check(unit.values("Service", "DynamicUser").contains("yes") || !unit.values("Service", "User").isEmpty(),
                    where + " must not run as root: set DynamicUser=yes or User=");
            check(!unit.values("Service", "LimitNOFILE").isEmpty(), where + " needs LimitNOFILE (one fd per connection)");
            check(unit.values("Service", "EnvironmentFile").stream()
                            .anyMatch(f -> f.replaceFirst("^-", "").startsWith("/etc/gearfarm/")
                                    && Files.exists(Repo.DEPLOY.resolve("systemd/env")
                                    .resolve(Path.of(f.replaceFirst("^-", "")).getFileName()))),
                    where + " needs EnvironmentFile=/etc/gearfarm/NAME.env with an example in deploy/systemd/env/");
            check(!unit.values("Service", "MemoryDenyWriteExecute").contains("yes"),
                    where + ": MemoryDenyWriteExecute=yes stops the JIT compiler; remove it");
        }
        Unit gearmand = units.stream().filter(u -> u.file().endsWith("gearmand.service")).findFirst().orElseThrow();
        String queueDir = Program.valueOf(List.of(gearmand.values("Service", "ExecStart").get(0).split("\\s+")),
                "--queue-dir");
        check(("/var/lib/" + gearmand.values("Service", "StateDirectory").stream().findFirst().orElse("?")).equals(queueDir),
                "deploy/systemd/gearmand.service: --queue-dir " + queueDir + " must be the StateDirectory under /var/lib");
        assertNoProblems();

        String analyze = Peers.require("systemd-analyze", "checking the systemd units (package systemd)");
        Path scratch = Files.createTempDirectory("units");
        try {
            for (Unit unit : units) {
                // A template is verified as an instance, as systemd would load it.
                String name = unit.file().getFileName().toString().replace("@.service", "@9101.service");
                Path copy = Files.copy(unit.file(), scratch.resolve(name));
                String verify = run(List.of(analyze, "verify", copy.toString()));
                check(verify.isBlank(), Repo.relative(unit.file()) + ": systemd-analyze verify says: " + verify);
                String security = run(List.of(analyze, "security", "--offline=true", copy.toString()));
                Matcher exposure = Pattern.compile("Overall exposure level for \\S+: ([\\d.]+)").matcher(security);
                check(exposure.find() && Double.parseDouble(exposure.group(1)) <= 2.0,
                        Repo.relative(unit.file()) + ": systemd-analyze security exposure must stay at 2.0 or lower: "
                                + (exposure.hitEnd() ? security : exposure.group(0)));
            }
        } finally {
            try (Stream<Path> files = Files.list(scratch)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(scratch);
        }
        assertNoProblems();
    }

    @Test
    void readmeNamesEveryFileAndTheMetricTheAutoscalerReads() {
        String readme = read(Repo.DEPLOY.resolve("README.md"));
        for (String file : List.of("compose.yaml", "gearmand.Dockerfile", "image-worker.Dockerfile", "kustomization.yaml",
                "gearmand.service", "image-worker@.service", "prometheus-adapter/rules.yaml")) {
            check(readme.contains(file), "deploy/README.md does not mention " + file);
        }
        check(readme.contains("gearmand_jobs_queued"), "deploy/README.md must name the metric the autoscaler reads");
        assertNoProblems();
    }

    // --- helpers

    private void checkServers(String where, List<String> servers, List<K8sObject> objects,
            Map<String, Dockerfile> dockerfiles) {
        if (servers.isEmpty()) {
            return;
        }
        for (K8sObject statefulSet : objects.stream().filter(o -> o.kind().equals("StatefulSet")).toList()) {
            String headless = statefulSet.node().path("spec").path("serviceName").asText();
            int replicas = statefulSet.node().path("spec").path("replicas").asInt(1);
            List<String> expected = new ArrayList<>();
            JsonNode container = DeployFiles.containers(statefulSet.node()).get(0);
            int port = listeningPorts("gearmand", DeployFiles.strings(container.path("args"))).get(0);
            for (int i = 0; i < replicas; i++) {
                expected.add(statefulSet.name() + "-" + i + "." + headless + ":" + port);
            }
            check(servers.equals(expected), where + ": every worker connects to every job server: --server should be "
                    + expected + " (one per " + statefulSet.name() + " replica), got " + servers);
        }
    }

    private static Map<String, String> containerEnv(JsonNode container, Map<String, K8sObject> byKindName,
            String where) {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText("")));
        for (JsonNode from : container.path("envFrom")) {
            String kind = from.has("configMapRef") ? "ConfigMap" : "Secret";
            String name = from.path(from.has("configMapRef") ? "configMapRef" : "secretRef").path("name").asText();
            K8sObject source = byKindName.get(kind + "/" + name);
            if (source == null) {
                throw new AssertionError(where + " reads envFrom " + kind + "/" + name + ", which is not in deploy/kubernetes");
            }
            source.node().path(kind.equals("ConfigMap") ? "data" : "stringData").fields()
                    .forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        }
        for (JsonNode e : container.path("env")) {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                K8sObject secret = byKindName.get("Secret/" + ref.path("name").asText());
                if (secret == null || !secret.node().path("stringData").has(ref.path("key").asText())) {
                    throw new AssertionError(where + " reads secret key " + ref + ", which deploy/kubernetes does not define");
                }
            }
        }
        return env;
    }

    private static boolean serviceHasPort(K8sObject service, String port) {
        return service != null && stream(service.node().path("spec").path("ports"))
                .anyMatch(p -> p.path("port").asText().equals(port));
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        selector.fields().forEachRemaining(entries::add);
        return entries.stream().allMatch(e -> labels.path(e.getKey()).asText().equals(e.getValue().asText()));
    }

    /** The ports a program listens on given its arguments: gearmand's --port (default 4730) and --http-port. */
    private static List<Integer> listeningPorts(String program, List<String> args) {
        List<Integer> ports = new ArrayList<>();
        if (program.equals("gearmand")) {
            String port = Program.valueOf(args, "--port");
            ports.add(port == null ? GEARMAN_DEFAULT_PORT : Integer.parseInt(port));
        }
        String http = Program.valueOf(args, "--http-port");
        if (http != null) {
            ports.add(Integer.parseInt(http));
        }
        return ports;
    }

    private static List<String> composeArgs(JsonNode service, Map<String, Dockerfile> dockerfiles) {
        String program = DeployFiles.composeProgram(service);
        return service.has("command") ? DeployFiles.strings(service.get("command"))
                : program == null ? List.of() : dockerfiles.get(program).execForm("CMD");
    }

    /** Container-side ports a compose service publishes or exposes, and MinIO-style {@code --address :PORT}. */
    private static List<Integer> composePorts(JsonNode service) {
        List<Integer> ports = new ArrayList<>();
        for (String mapping : DeployFiles.strings(service.path("ports"))) {
            String[] parts = mapping.split(":");
            ports.add(Integer.parseInt(parts[parts.length - 1].replace("/tcp", "")));
        }
        DeployFiles.strings(service.path("expose")).forEach(p -> ports.add(Integer.parseInt(p)));
        return ports;
    }

    static boolean pinned(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon < slash || colon < 0) {
            return false;
        }
        String tag = image.substring(colon + 1);
        return !tag.equals("latest") && PINNED_TAG.matcher(tag).matches();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes.stream();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(Repo.relative(file) + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        return output;
    }

    private static void requireJar(Program program) {
        Peers.requireThat(Files.exists(program.jar()), Repo.relative(program.jar()) + " is missing, so "
                + program.name() + "'s deploy files cannot be checked against it: run mvn package (or mvn verify) first");
    }

    private void check(boolean condition, String problem) {
        if (!condition) {
            problems.add(problem);
        }
    }

    private void assertNoProblems() {
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " problem(s) in deploy/:\n - " + String.join("\n - ", problems));
        }
    }
}
