package dev.v2pledger.devstack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.run.LedgerRun;
import dev.v2pledger.devstack.run.RunHooks;
import dev.v2pledger.devstack.run.RunOptions;
import dev.v2pledger.devstack.run.RunningStack;
import dev.v2pledger.devstack.run.ScriptSource;
import dev.v2pledger.devstack.sled.LocalSled;
import dev.v2pledger.devstack.testing.Poison;
import dev.v2pledger.devstack.testing.Runs;
import dev.v2pledger.devstack.workload.WorkloadShape;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.testing.Seeds;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every series the Grafana dashboard in {@code compose/} queries is one the real projector and
 * appliers serve: a small devstack run (with an XDE failure and a poison event, so the meters
 * created on first use exist too) records into a real Prometheus registry, whose scrape must
 * contain each {@code v2p_*} name of the dashboard's queries (histogram buckets included), and none
 * of Kafka's own client meters (the devstack denies them: they are for the daemons).
 */
@WithKafka
class DashboardMetricsIT {
  static final Pattern SERIES = Pattern.compile("\\bv2p_[a-z0-9_]+");
  static final String CONSUMED = "kafka.consumer.fetch.manager.records.consumed.total";

  @Test
  void everySeriesOfTheDashboardIsServed(KafkaCluster kafka) throws Exception {
    Set<String> queried = queriedSeries();
    assertThat(queried).as("the dashboard queries v2p series").hasSizeGreaterThan(8);

    long seed = Seeds.pick("DashboardMetricsIT");
    RunOptions options =
        Runs.on(seed, Runs.stack(kafka, 2, 1, 2), WorkloadShape.sized(8, 40, 0.3), 1000);
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<Set<String>> served = new AtomicReference<>();
    AtomicReference<Integer> kafkaMeters = new AtomicReference<>();
    RunHooks hooks =
        new RunHooks() {
          @Override
          public void afterEvent(long published, RunningStack stack) {
            if (published == 1) {
              // the run's registry is a composite: meters made before this are added too
              assertThat(stack.kafka().registry()).isInstanceOf(CompositeMeterRegistry.class);
              ((CompositeMeterRegistry) stack.kafka().registry()).add(prometheus);
            }
            if (published == 50) {
              ((LocalSled) stack.sleds().get(0)).device().failNextCalls(2);
              Poison.publish(stack.kafka().kafka(), "not-an-instance");
            }
          }

          @Override
          public void afterConvergence(RunningStack stack) {
            served.set(scrapedSeries(prometheus));
            kafkaMeters.set(stack.kafka().registry().find(CONSUMED).meters().size());
          }
        };
    RunReport report =
        Runs.show(
            "DashboardMetricsIT seed " + seed,
            LedgerRun.run(options, ScriptSource.generated(options), hooks).report());

    assertThat(report.violations()).isEmpty();
    assertThat(served.get()).as("series served by the projector and appliers").containsAll(queried);
    assertThat(kafkaMeters.get())
        .as("Kafka's own client meters: for the daemons' /metrics, not bound in the devstack")
        .isZero();
  }

  static Set<String> queriedSeries() throws Exception {
    Path dir = ComposeFiles.ofRepository().compose.resolve("grafana/dashboards");
    Set<String> names = new TreeSet<>();
    try (Stream<Path> dashboards = Files.list(dir)) {
      for (Path dashboard : (Iterable<Path>) dashboards::iterator) {
        Matcher m = SERIES.matcher(Files.readString(dashboard, StandardCharsets.UTF_8));
        while (m.find()) {
          names.add(m.group());
        }
      }
    }
    return names;
  }

  /** The series names {@code prometheus} exposes. */
  static Set<String> scrapedSeries(PrometheusMeterRegistry prometheus) {
    Set<String> names = new TreeSet<>();
    for (String line : prometheus.scrape().split("\n")) {
      Matcher m = SERIES.matcher(line);
      if (!line.startsWith("#") && m.lookingAt()) {
        names.add(m.group());
      }
    }
    return names;
  }
}
