package dev.v2pledger.devstack.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v2pledger.applier.runner.AdminEndpoints;
import dev.v2pledger.applier.runner.ApplierConfig;
import dev.v2pledger.applier.runner.SimEndpoints;
import dev.v2pledger.applier.runner.SledApplier;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.devstack.cli.DevstackMain;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.projector.topics.TopicPlan;
import dev.v2pledger.projector.topics.TopicSetup;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.http.Metrics;
import dev.v2pledger.runtime.http.OpsServer;
import dev.v2pledger.schema.testing.Seeds;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Devstack against a cluster whose projector and appliers run elsewhere (issue 7's compose): three
 * appliers with the simulated device, each with its admin endpoints exactly as {@code sled-applier
 * run --xde sim} serves them, a projector of their own, and devstack with {@code --projectors 0
 * --sled-endpoints ...} driving the sleds over HTTP.
 */
@WithKafka
class RemoteSledsIT {
  private final List<AutoCloseable> running = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  /** What {@code sled-applier run --xde sim --admin-port 0} starts. */
  private String applier(KafkaCluster kafka, SledSpec sled) {
    PrometheusMeterRegistry registry = Metrics.newRegistry("sled-applier", sled.id().toString());
    SimulatedXde device = new SimulatedXde(sled.underlay(), Clock.systemUTC());
    SledApplier applier =
        SledApplier.start(ApplierConfig.of(sled.id(), kafka.clientConfig()), device, registry);
    running.add(applier);
    OpsServer admin = AdminEndpoints.start("127.0.0.1", 0, registry, applier);
    SimEndpoints.register(admin, device, sled.id());
    running.add(admin);
    return "http://127.0.0.1:" + admin.port();
  }

  @Test
  void remoteAppliersOverHttp_endRight(KafkaCluster kafka) throws Exception {
    long seed = Seeds.pick("RemoteSledsIT");
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      TopicSetup.apply(admin, ProjectorTopics.DEFAULT, TopicPlan.of(4), Duration.ofSeconds(60));
    }
    Projector projector =
        Projector.start(ProjectorConfig.builder(kafka.clientConfig(), "elsewhere-0").build());
    running.add(projector);
    List<String> endpoints = new ArrayList<>();
    for (int n = 11; n <= 13; n++) {
      endpoints.add(applier(kafka, SledSpec.numbered(n)));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> projector.readinessProblem() == null);

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Cli.run(
            new DevstackMain(Map.of(), new PrintStream(System.out, true)),
            new String[] {
              "run",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--projectors",
              "0",
              "--sled-endpoints",
              String.join(",", endpoints),
              "--instances",
              "12",
              "--migrations",
              "120",
              "--rate",
              "500",
              "--warmup",
              "0",
              "--seed",
              Long.toString(seed),
              "--json"
            },
            Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(err, true));

    System.out.println("RemoteSledsIT: " + out);
    assertThat(err.toString()).isEmpty();
    assertThat(code).as(out.toString()).isZero();
    JsonNode json = new ObjectMapper().readTree(out.toString().strip());
    assertThat(json.get("violations").asInt()).isZero();
    assertThat(json.get("sleds").asInt()).isEqualTo(3);
    assertThat(json.get("projectors").asInt()).isZero();
    assertThat(json.get("drift_repairs").asLong()).as("port side effects repaired").isPositive();
    assertThat(json.get("convergence_ms").get("count").asLong()).isPositive();
    assertThat(json.get("exposure").get("gaps").asLong()).isPositive();
    assertThat(json.get("oracle_vs_truth").asInt()).isZero();
  }
}
