package dev.v2pledger.devstack.compose;

import static dev.v2pledger.devstack.compose.ComposeFiles.command;
import static dev.v2pledger.devstack.compose.ComposeFiles.environment;
import static dev.v2pledger.devstack.compose.ComposeFiles.flag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.v2pledger.applier.cli.SledApplierCommand;
import dev.v2pledger.devstack.cli.DevstackMain;
import dev.v2pledger.projector.cli.ProjectorMain;
import dev.v2pledger.replay.cli.ReplayToolMain;
import dev.v2pledger.runtime.cli.Cli;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * {@code compose/} is checked against this build, since CI cannot run containers: every image tag
 * exists (Kafka's is the version the build uses, the application's is built from jars this build
 * makes), every command parses with the real picocli commands, Prometheus scrapes every component
 * on the port its command opens, and every file the services mount is there. An IT because it needs
 * the packaged jars ({@code devstack.jar} is made after the unit tests run).
 */
class ComposeFileIT {
  /** The jars the image holds, by their path in the image, and the main class each must run. */
  static final Map<String, String> MAIN_CLASSES =
      Map.of(
          "/app/projector.jar", "dev.v2pledger.projector.cli.ProjectorMain",
          "/app/sled-applier.jar", "dev.v2pledger.applier.cli.Main",
          "/app/replay-tool.jar", "dev.v2pledger.replay.cli.ReplayToolMain",
          "/app/devstack.jar", "dev.v2pledger.devstack.cli.DevstackMain");

  final ComposeFiles files = ComposeFiles.ofRepository();

  /** The command object {@code java -jar jar} runs (the one its main class hands to Cli.run). */
  static Object commandOf(String jar, Map<String, String> env) {
    switch (jar) {
      case "/app/projector.jar":
        return new ProjectorMain(env);
      case "/app/sled-applier.jar":
        return new SledApplierCommand(env);
      case "/app/replay-tool.jar":
        return new ReplayToolMain();
      case "/app/devstack.jar":
        return new DevstackMain(env, new PrintStream(OutputStream.nullOutputStream()));
      default:
        throw new AssertionError("the image holds no " + jar);
    }
  }

  static boolean isApplication(Map<String, Object> service) {
    return service.containsKey("build");
  }

  @Test
  void kafkaImageIsTheBuildsKafkaVersion_andApplicationImageIsThisVersionBuiltHere()
      throws Exception {
    String kafka = "apache/kafka:" + files.pomProperty("kafka.version");
    String application = "v2p-ledger:" + files.projectVersion().replace("-SNAPSHOT", "");
    Map<String, Map<String, Object>> services = files.services();
    assertThat(services.keySet())
        .contains("kafka-1", "kafka-2", "kafka-3", "init-topics", "prometheus", "workload");
    for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
      Object image = e.getValue().get("image");
      assertThat(image).as("%s: image", e.getKey()).isNotNull();
      String tag = image.toString();
      assertThat(tag).as("%s: pinned tag", e.getKey()).contains(":").doesNotEndWith(":latest");
      if (e.getKey().startsWith("kafka-")) {
        assertThat(tag).as(e.getKey()).isEqualTo(kafka);
      }
      if (isApplication(e.getValue())) {
        assertThat(tag).as(e.getKey()).isEqualTo(application);
        @SuppressWarnings("unchecked")
        Map<String, Object> build = (Map<String, Object>) e.getValue().get("build");
        Path context = files.compose.resolve(build.get("context").toString()).normalize();
        assertThat(context).as("%s: build context", e.getKey()).isEqualTo(files.root);
        assertThat(context.resolve(build.get("dockerfile").toString())).isRegularFile();
      }
    }
  }

  @Test
  void dockerfileCopiesTheJarsThisBuildMakes() throws Exception {
    List<String> sources = files.dockerfileCopySources();
    assertThat(sources).hasSize(MAIN_CLASSES.size());
    for (String source : sources) {
      Path jar = files.root.resolve(source);
      assertThat(jar).as("built by mvn package").isRegularFile();
      String inImage = "/app/" + jar.getFileName();
      assertThat(MAIN_CLASSES).containsKey(inImage);
      try (JarFile file = new JarFile(jar.toFile())) {
        assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
            .as("%s: Main-Class", source)
            .isEqualTo(MAIN_CLASSES.get(inImage));
      }
    }
  }

  @Test
  void everyApplicationCommandParsesWithTheRealCommands() throws Exception {
    int checked = 0;
    for (Map.Entry<String, Map<String, Object>> e : files.services().entrySet()) {
      if (!isApplication(e.getValue())) {
        continue;
      }
      List<String> command = command(e.getValue());
      assertThat(command).as("%s: command", e.getKey()).isNotEmpty();
      String jar = command.get(0);
      String[] args = command.subList(1, command.size()).toArray(String[]::new);
      Map<String, String> env = environment(e.getValue());
      assertThatCode(() -> Cli.parse(commandOf(jar, env), args, env))
          .as("%s: %s", e.getKey(), String.join(" ", command))
          .doesNotThrowAnyException();
      checked++;
    }
    assertThat(checked).as("init-topics, 2 projectors, 3 appliers, workload").isEqualTo(7);
  }

  @Test
  void workloadDrivesTheClusterAndTheAppliersItRuns() throws Exception {
    Map<String, Map<String, Object>> services = files.services();
    List<String> workload = command(services.get("workload"));
    assertThat(workload.get(0)).isEqualTo("/app/devstack.jar");
    assertThat(flag(workload, "--projectors")).as("the projectors run as services").isEqualTo("0");
    String bootstrap = flag(workload, "--bootstrap-servers");
    assertThat(bootstrap).as("no embedded broker").isNotNull();
    for (String server : bootstrap.split(",")) {
      String host = server.split(":")[0];
      assertThat(services).as("bootstrap server %s", server).containsKey(host);
    }
    for (String url : flag(workload, "--sled-endpoints").split(",")) {
      String hostPort = url.replaceFirst("^http://", "");
      String host = hostPort.split(":")[0];
      assertThat(services).as("sled endpoint %s", url).containsKey(host);
      List<String> applier = command(services.get(host));
      assertThat(applier).contains("--xde", "sim");
      assertThat(hostPort.split(":")[1]).isEqualTo(flag(applier, "--admin-port"));
      assertThat(flag(applier, "--admin-host")).isEqualTo("0.0.0.0");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryComponentOnThePortItsCommandOpens() throws Exception {
    Map<String, Map<String, Object>> services = files.services();
    Set<String> scraped = new TreeSet<>();
    for (Map<String, Object> job :
        (List<Map<String, Object>>) files.yaml("prometheus/prometheus.yml").get("scrape_configs")) {
      for (Map<String, Object> config : (List<Map<String, Object>>) job.get("static_configs")) {
        for (String target : (List<String>) config.get("targets")) {
          String host = target.split(":")[0];
          String port = target.split(":")[1];
          assertThat(services).as("target %s", target).containsKey(host);
          List<String> command = command(services.get(host));
          String opened =
              flag(command, "--metrics-port") != null
                  ? flag(command, "--metrics-port")
                  : flag(command, "--admin-port");
          assertThat(opened).as("target %s: the port its command opens", target).isEqualTo(port);
          scraped.add(host);
        }
      }
    }
    List<String> components = new ArrayList<>();
    services.forEach(
        (name, service) -> {
          List<String> command = command(service);
          if (command.contains("run") && !name.equals("workload")) {
            components.add(name);
          }
        });
    assertThat(components).hasSize(5);
    assertThat(scraped).containsAll(components);
  }

  @Test
  @SuppressWarnings("unchecked")
  void dependenciesHealthChecksAndMountsPointAtRealThings() throws Exception {
    Map<String, Map<String, Object>> services = files.services();
    for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
      Object dependsOn = e.getValue().get("depends_on");
      Iterable<?> names =
          dependsOn instanceof Map<?, ?> map
              ? map.keySet()
              : dependsOn == null ? List.of() : (List<?>) dependsOn;
      for (Object name : names) {
        assertThat(services).as("%s depends on %s", e.getKey(), name).containsKey(name.toString());
      }
      Map<String, Object> health = (Map<String, Object>) e.getValue().get("healthcheck");
      List<String> command = command(e.getValue());
      if (health != null && isApplication(e.getValue())) {
        String test = String.join(" ", (List<String>) health.get("test"));
        String port =
            flag(command, "--metrics-port") != null
                ? flag(command, "--metrics-port")
                : flag(command, "--admin-port");
        assertThat(test).as("%s: health check", e.getKey()).contains("localhost:" + port + "/");
      }
      Object volumes = e.getValue().get("volumes");
      if (volumes instanceof List<?> list) {
        for (Object volume : list) {
          String source = volume.toString().split(":")[0];
          if (source.startsWith("./")) {
            assertThat(files.compose.resolve(source))
                .as("%s mounts %s", e.getKey(), source)
                .exists();
          }
        }
      }
    }
    assertThat(Files.list(files.compose.resolve("grafana/dashboards"))).isNotEmpty();
  }
}
