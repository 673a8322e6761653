package dev.v2pledger.projector.cli;

import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.projector.runner.ProjectorStatus;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.cli.KafkaOptions;
import dev.v2pledger.runtime.cli.UntilStopped;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.http.Metrics;
import dev.v2pledger.runtime.http.OpsServer;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.runtime.kafka.KafkaSettings;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code run}: one projector instance, until a signal stops it or a fatal error does. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Consumes v2p.events in the consumer group, folds each instance's events and writes, in one"
          + " Kafka transaction per time box, the mapping records to v2p.mappings, the changed"
          + " states to v2p.instance-state and the consumed offsets. Poison events go to"
          + " v2p.events.dlq.",
      "Serves /metrics, /healthz and /readyz (ready once it holds the partitions its group assigns"
          + " to it, restored).",
      "Exit codes: 1 a fatal error, 2 a bad option; SIGTERM stops it cleanly (commit, leave the"
          + " group, close) and the JVM exits with 143."
    })
final class RunCommand implements Callable<Integer> {
  @ParentCommand ProjectorMain main;

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka = new KafkaOptions();

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description =
          "Names this instance: transactional ids v2p-projector-<ID> and v2p-projector-<ID>+2,"
              + " static group member <ID>."
              + " Keep it stable across restarts and unique among running instances (default:"
              + " the host name).")
  @Nullable String instanceId;

  @Option(
      names = "--group-id",
      paramLabel = "ID",
      defaultValue = ProjectorConfig.DEFAULT_GROUP_ID,
      description = "Consumer group of the projectors (default: ${DEFAULT-VALUE}).")
  String groupId;

  /** {@code --max-tx-age} and {@code --retire-after}, shared with {@code devstack run}. */
  @Mixin TransactionAndRetentionOptions projecting = new TransactionAndRetentionOptions();

  @Option(
      names = "--max-tx-age-under-backlog",
      paramLabel = "DURATION",
      defaultValue = "100ms",
      description =
          "While the consumer has a backlog (a full poll, or a poll's worth of events known and"
              + " not polled), transactions close at this age or at"
              + " --max-tx-records-under-backlog events instead (default: ${DEFAULT-VALUE}).")
  Duration maxTxAgeUnderBacklog;

  @Option(
      names = "--max-tx-records-under-backlog",
      paramLabel = "N",
      defaultValue = "10000",
      description = "...and this many events (default: ${DEFAULT-VALUE}).")
  int maxTxRecordsUnderBacklog;

  @Option(
      names = "--max-tx-records",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "...or holds this many events, or when a poll comes back empty (default:"
              + " ${DEFAULT-VALUE}).")
  int maxTxRecords;

  @Option(
      names = "--max-retries",
      paramLabel = "N",
      defaultValue = "10",
      description =
          "Retries of a failed attempt (timeouts, unavailable brokers...) before stopping: the"
              + " runner stops when the first attempt and N retries in a row have failed"
              + " (default: ${DEFAULT-VALUE}).")
  int maxRetries;

  @Option(
      names = "--static-membership",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Join as static member <instance id>, so a restart gets its partitions back without a"
              + " rebalance (default: ${DEFAULT-VALUE}).")
  boolean staticMembership;

  @Option(
      names = "--metrics-host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Address of /metrics, /healthz, /readyz (default: ${DEFAULT-VALUE}).")
  String metricsHost;

  @Option(
      names = "--metrics-port",
      paramLabel = "N",
      defaultValue = "9464",
      description =
          "Port of /metrics, /healthz, /readyz; 0 for any free one, -1 for none (default:"
              + " ${DEFAULT-VALUE}).")
  int metricsPort;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, Object> settings = kafka.clientConfig(main.env());
    String id = instanceId != null ? instanceId : hostName(main.env());
    PrometheusMeterRegistry registry = Metrics.newProcessRegistry("projector", id);
    ProjectorConfig config;
    try {
      config =
          ProjectorConfig.builder(settings, id)
              .groupId(groupId)
              .maxTxAge(projecting.maxTxAge())
              .retireAfter(projecting.retireAfter())
              .maxTxAgeUnderBacklog(maxTxAgeUnderBacklog)
              .maxTxRecordsUnderBacklog(maxTxRecordsUnderBacklog)
              .maxTxRecords(maxTxRecords)
              .maxRetries(maxRetries)
              .staticMembership(staticMembership)
              .registry(registry)
              .kafkaClientMetrics(true)
              .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--metrics-port " + metricsPort + " is not a port (0..65535, or -1)");
    }
    // the endpoints first: a bad host or a port in use is refused before any Kafka work starts
    AtomicReference<@Nullable Projector> started = new AtomicReference<>();
    OpsServer endpoints = startEndpoints(registry, started);
    Projector projector = Projector.start(config);
    started.set(projector);
    UntilStopped.await("projector-shutdown", projector::awaitTermination, projector, endpoints);
    ProjectorStatus status = projector.status();
    if (status.phase() == ProjectorStatus.Phase.FAILED
        || status.phase() == ProjectorStatus.Phase.KILLED) { // KILLED: the runner died of an Error
      ConfigException badSettings = KafkaErrors.configError(projector.failure());
      if (badSettings != null) {
        throw new UsageException(KafkaSettings.describe(badSettings, settings)); // exit 2
      }
      String problem =
          status.problem() != null
              ? status.problem()
              : "the runner died: " + projector.failure(); // KILLED publishes no problem
      throw new UsageException(problem, Cli.EXIT_FAILURE);
    }
    return Cli.EXIT_OK;
  }

  /** The endpoints (or none, for port -1); they answer "starting" until the projector exists. */
  private @Nullable OpsServer startEndpoints(
      PrometheusMeterRegistry registry, AtomicReference<@Nullable Projector> projector) {
    if (metricsPort < 0) {
      return null;
    }
    try {
      return OpsServer.start(
          metricsHost,
          metricsPort,
          registry,
          () -> projector.get() == null ? null : projector.get().livenessProblem(),
          () -> projector.get() == null ? "starting" : projector.get().readinessProblem());
    } catch (RuntimeException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static String hostName(Map<String, String> env) {
    String name = env.get("HOSTNAME");
    if (name == null || name.isBlank()) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        throw new UsageException("cannot find the host name: give --instance-id");
      }
    }
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
  }
}
