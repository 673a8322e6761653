package dev.v2pledger.devstack.cli;

import dev.v2pledger.applier.cli.ReconcileIntervalOption;
import dev.v2pledger.devstack.report.JsonReport;
import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.report.TextReport;
import dev.v2pledger.devstack.run.LedgerRun;
import dev.v2pledger.devstack.run.RpwRun;
import dev.v2pledger.devstack.run.RunFailedException;
import dev.v2pledger.devstack.run.RunHooks;
import dev.v2pledger.devstack.run.RunOptions;
import dev.v2pledger.devstack.run.ScriptMemory;
import dev.v2pledger.devstack.run.ScriptSource;
import dev.v2pledger.devstack.stack.ClusterState;
import dev.v2pledger.devstack.stack.KafkaStack;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.devstack.workload.WorkloadConfig;
import dev.v2pledger.devstack.workload.WorkloadShape;
import dev.v2pledger.projector.cli.TransactionAndRetentionOptions;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.cli.KafkaOptions;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code run}: one run of the whole system, a report, exit 0 when every sled ended right. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    header = "Runs the whole system on one machine against an oracle and prints a verdict.",
    description = {
      "Starts Kafka (embedded, or uses --bootstrap-servers), the topics, --projectors projector(s)"
          + " and --sleds simulated sleds with an applier each (or drives remote appliers given"
          + " with --sled-endpoints), plays a seeded workload that publishes events and creates"
          + " and destroys ports as Nexus and the sled agents would, waits until every sled"
          + " converged, and compares every sled's XDE table with an independent oracle.",
      "Progress goes to stderr, the report to stdout (--json: one JSON object on the last line).",
      "Exit codes: 0 no violation, 1 violations or a failure, 2 bad usage."
    })
final class RunCommand implements Callable<Integer> {
  /** The baseline that --baseline names. */
  enum Baseline {
    rpw
  }

  @ParentCommand DevstackMain top;

  @Spec CommandSpec spec;

  @Option(
      names = "--sleds",
      defaultValue = "8",
      paramLabel = "N",
      description = "local simulated sleds, at most 1000 (default: ${DEFAULT-VALUE})")
  int sleds;

  @Option(
      names = "--projectors",
      defaultValue = "1",
      paramLabel = "K",
      description =
          "projector runners in this JVM sharing the partitions, at most 100 (beyond --partitions"
              + " they stand by); 0 when they run elsewhere (needs --bootstrap-servers) (default:"
              + " ${DEFAULT-VALUE})")
  int projectors;

  @Option(
      names = "--partitions",
      defaultValue = "6",
      paramLabel = "P",
      description = "partitions of new topics, at most 500 (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(
      names = "--instances",
      defaultValue = "64",
      paramLabel = "N",
      description = "live instances the workload keeps, at least 1 (default: ${DEFAULT-VALUE})")
  int instances;

  @Option(
      names = "--migrations",
      defaultValue = "1500",
      paramLabel = "N",
      description = "live migrations to attempt (default: ${DEFAULT-VALUE})")
  int migrations;

  @Option(
      names = "--failure-rate",
      defaultValue = "0.2",
      paramLabel = "F",
      description = "share of migrations that fail (default: ${DEFAULT-VALUE})")
  double failureRate;

  @Option(
      names = "--reorder-rate",
      defaultValue = "0.05",
      paramLabel = "F",
      description =
          "share of events their publisher holds back, so Nexus' and the sled agents' events"
              + " overtake each other (default: ${DEFAULT-VALUE})")
  double reorderRate;

  @Option(
      names = "--late-redelivery-rate",
      defaultValue = "0.01",
      paramLabel = "F",
      description =
          "share of events their publisher sends again much later (default: ${DEFAULT-VALUE})")
  double lateRate;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "the workload's seed (default: random, printed)")
  @Nullable Long seed;

  @Option(
      names = "--rate",
      defaultValue = "1000",
      paramLabel = "EVENTS/S",
      description =
          "events per second, at least 1; 0 for as fast as possible (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--concurrency",
      defaultValue = "32",
      paramLabel = "N",
      description =
          "operations on different instances in flight at once (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(
      names = "--warmup",
      defaultValue = "3000",
      paramLabel = "EVENTS",
      description =
          "about this many events of a separate warm-up workload played first and not measured, so the JIT is warm; 0 for none (default: ${DEFAULT-VALUE})")
  int warmup;

  /** An external cluster instead of the embedded broker. */
  @Mixin KafkaOptions kafka = new KafkaOptions();

  @Option(
      names = "--sled-endpoints",
      split = Cli.COMMAS,
      splitSynopsisLabel = ",",
      paramLabel = "URL",
      description =
          "remote sleds: admin URLs of appliers run with --xde sim (instead of --sleds local ones)")
  List<URI> sledEndpoints = new ArrayList<>();

  @Option(
      names = "--baseline",
      paramLabel = "rpw",
      description =
          "run the same workload against the emulation of Omicron's periodic re-push instead")
  @Nullable Baseline baseline;

  @Option(
      names = "--compare",
      description =
          "run v2p-ledger, then the rpw baseline on the same workload, and compare their exposure")
  boolean compare;

  @Option(
      names = "--rpw-period",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description = "the re-push task's period (default: ${DEFAULT-VALUE})")
  Duration rpwPeriod;

  @Option(
      names = "--rpw-call-latency",
      defaultValue = "1ms",
      paramLabel = "DURATION",
      description = "cost of each re-push call to a sled (default: ${DEFAULT-VALUE})")
  Duration rpwCallLatency;

  /** {@code --reconcile-interval} of the local appliers. */
  @Mixin ReconcileIntervalOption reconcile = new ReconcileIntervalOption();

  /** {@code --max-tx-age} and {@code --retire-after} of the local projectors. */
  @Mixin TransactionAndRetentionOptions projecting = new TransactionAndRetentionOptions();

  @Option(
      names = "--converge-timeout",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description =
          "how long to wait for every sled to converge after the workload (default: ${DEFAULT-VALUE})")
  Duration convergeTimeout;

  @Option(
      names = "--hop-probe",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "measure one plain and one transactional Kafka hop during the run, for comparison"
              + " (default: on)")
  boolean hopProbe;

  @Option(
      names = "--appliers-read-uncommitted",
      description =
          "local appliers read v2p.mappings read_uncommitted (a record as soon as it is in the"
              + " log) instead of read_committed, to measure what that gains and costs")
  boolean appliersReadUncommitted;

  @Option(
      names = "--json",
      description = "print the report as one JSON object (the last line of stdout)")
  boolean json;

  @Option(names = "--quiet", description = "no progress lines on stderr")
  boolean quiet;

  @Mixin StayOption stay = new StayOption();

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Override
  public Integer call() throws InterruptedException {
    RunOptions options = options();
    PrintWriter out = spec.commandLine().getOut();
    RunLog log = top.log();
    if (log != null && !quiet) {
      top.progress().println("devstack: logs of the broker and the components go to " + log.file());
    }
    RunReport report;
    RunReport base = null;
    try {
      if (baseline != null && !compare) {
        Script script =
            ScriptSource.generated(options)
                .script(SledSpec.rack(options.stack().sleds()), ClusterState.EMPTY);
        report = RpwRun.run(options, script);
      } else {
        RunHooks hooks = stay.hooks(made -> print(out, made, null), top.progress(), top.input());
        LedgerRun.Outcome outcome = LedgerRun.run(options, ScriptSource.generated(options), hooks);
        report = outcome.report();
        if (compare) {
          base = RpwRun.run(options, outcome.script());
        }
      }
    } catch (RuntimeException e) {
      RuntimeException failure = runFailure(e);
      if (json) { // the last line of stdout is an object, whatever happened
        out.println(JsonReport.failure(Cli.failureLine(failure))); // as stderr says it
        out.flush();
      }
      throw failure;
    }
    if (!stay.stay) { // else printed before the broker stayed up
      print(out, report, base);
    }
    return report.passed() ? Cli.EXIT_OK : Cli.EXIT_FAILURE;
  }

  /**
   * Prints the report (the log's summary first, on the progress stream, also with {@code --quiet}:
   * where the logs are and how many warnings and errors they hold is part of the report).
   */
  private void print(PrintWriter out, RunReport report, @Nullable RunReport base) {
    RunLog log = top.log();
    if (log != null) {
      top.progress().println("devstack: " + log.summary());
    }
    out.println(json ? JsonReport.line(report, base) : TextReport.of(report, base).stripTrailing());
    out.flush();
  }

  /** {@code e}, which stopped the run before its report, as the one line it is reported by. */
  private RuntimeException runFailure(RuntimeException e) {
    if (e instanceof KafkaException k) {
      return kafkaFailure(
          k, kafka.bootstrapServers() == null ? "the embedded broker" : kafka.bootstrapServers());
    }
    if (e instanceof UncheckedIOException) {
      return new UsageException(e.getMessage(), Cli.EXIT_USAGE);
    }
    if (e instanceof RunFailedException) {
      return new UsageException("failed: " + e.getMessage(), Cli.EXIT_FAILURE, e);
    }
    return e;
  }

  /**
   * One line for a Kafka failure of the run at {@code cluster}: exit 2 when the settings are wrong
   * (a client that could not be made says only that: the settings' error says why) or the cluster
   * could not be reached or set up before anything ran; exit 1, "failed", when it went wrong later.
   */
  static UsageException kafkaFailure(KafkaException e, String cluster) {
    ConfigException badSettings = KafkaErrors.configError(e);
    if (badSettings != null) {
      return new UsageException("Kafka at " + cluster + ": " + badSettings.getMessage());
    }
    if (e instanceof KafkaStack.SetupException) {
      return new UsageException("Kafka at " + cluster + ": " + e.getMessage());
    }
    return new UsageException(
        "failed: Kafka at " + cluster + ": " + KafkaErrors.rootMessage(e), Cli.EXIT_FAILURE, e);
  }

  private RunOptions options() {
    Map<String, Object> external = null;
    if (kafka.given(top.env())) {
      external = kafka.clientConfig(top.env());
    }
    stay.check(external != null, baseline == null && !compare);
    if (!sledEndpoints.isEmpty() && (baseline != null || compare)) {
      throw new UsageException(
          "--baseline and --compare drive local simulated sleds; drop --sled-endpoints",
          Cli.EXIT_USAGE);
    }
    if (baseline != null && !compare && external != null) {
      throw new UsageException(
          "--baseline rpw runs without Kafka; drop --bootstrap-servers and --kafka-config",
          Cli.EXIT_USAGE);
    }
    if (projectors == 0 && external == null && (baseline == null || compare)) {
      throw new UsageException(
          "--projectors 0 leaves the projecting to projectors run elsewhere, which the embedded"
              + " broker has none of: give --bootstrap-servers of their cluster, or --projectors 1"
              + " or more",
          Cli.EXIT_USAGE);
    }
    if (!sledEndpoints.isEmpty() && external == null) {
      throw new UsageException(
          "--sled-endpoints need the cluster the remote appliers read: give --bootstrap-servers",
          Cli.EXIT_USAGE);
    }
    for (URI endpoint : sledEndpoints) {
      if (endpoint.getScheme() == null
          || !List.of("http", "https").contains(endpoint.getScheme().toLowerCase(Locale.ROOT))
          || endpoint.getHost() == null
          || endpoint.getPort() > 65535) {
        throw new UsageException(
            "--sled-endpoints: '" + endpoint + "' is not an http://host:port URL", Cli.EXIT_USAGE);
      }
    }
    long chosen = seed != null ? seed : new SecureRandom().nextLong();
    try {
      RunOptions options =
          new RunOptions(
              chosen,
              new RunOptions.Stack(sleds, sledEndpoints, projectors, partitions, external),
              new WorkloadShape(
                  instances, migrations, failureRate, concurrency, reorderRate, lateRate),
              new RunOptions.Pace(rate, warmup, convergeTimeout),
              new RunOptions.Local(
                  reconcile.reconcileInterval(),
                  projecting.maxTxAge(),
                  projecting.retireAfter(),
                  appliersReadUncommitted),
              new RunOptions.Rpw(rpwPeriod, rpwCallLatency),
              hopProbe,
              quiet ? null : top.progress());
      // the workload's checks that need the sleds, before anything starts
      WorkloadConfig.of(chosen, options.stack().sledCount(), options.workload());
      ScriptMemory.check(options.workload(), warmup, Runtime.getRuntime().maxMemory());
      // and the projectors' (they start after the broker and the sleds)
      ProjectorConfig.checkTransactionAge(
          projecting.maxTxAge(), external == null ? Map.of() : external);
      return options;
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), Cli.EXIT_USAGE);
    }
  }
}
