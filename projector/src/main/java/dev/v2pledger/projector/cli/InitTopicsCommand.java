package dev.v2pledger.projector.cli;

import dev.v2pledger.projector.topics.AutoCreatingBrokers;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.projector.topics.ReleasedSchemas;
import dev.v2pledger.projector.topics.TooFewReplicasException;
import dev.v2pledger.projector.topics.TopicPlan;
import dev.v2pledger.projector.topics.TopicReport;
import dev.v2pledger.projector.topics.TopicSetup;
import dev.v2pledger.projector.topics.TopicsNotCoPartitionedException;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.cli.Converters;
import dev.v2pledger.runtime.cli.KafkaLogs;
import dev.v2pledger.runtime.cli.KafkaOptions;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.runtime.kafka.KafkaSettings;
import dev.v2pledger.runtime.time.Durations;
import dev.v2pledger.schema.codec.SchemaHistory;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code init-topics}: creates every v2p topic idempotently, with the configs the design needs. */
@Command(
    name = "init-topics",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Creates the topics of v2p-ledger that do not exist, reports the ones that do:",
      "  v2p.events          retention.ms=-1, retention.bytes=-1,",
      "                      message.timestamp.type=LogAppendTime",
      "  v2p.events.dlq      retention.ms=-1, retention.bytes=-1",
      "  v2p.mappings        cleanup.policy=compact",
      "  v2p.instance-state  cleanup.policy=compact, as many partitions as v2p.events",
      "  v2p.acks            cleanup.policy=delete, retention.ms from --acks-retention",
      "  v2p.schemas         cleanup.policy=compact, 1 partition; every released schema",
      "                      of this build is registered there",
      "Existing topics are left as they are (a config they lack is reported). Refuses, with exit"
          + " code 1, when v2p.events and v2p.instance-state exist with different partition"
          + " counts."
    })
final class InitTopicsCommand implements Callable<Integer> {
  @ParentCommand ProjectorMain main;

  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka = new KafkaOptions();

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "6",
      description =
          "Partitions of new topics (a new v2p.events or v2p.instance-state takes the count of"
              + " its existing partner) (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--replication-factor",
      paramLabel = "N",
      description = "Replicas of new topics (default: the broker's default.replication.factor).")
  @Nullable Short replicationFactor;

  @Option(
      names = "--min-insync-replicas",
      paramLabel = "N",
      description = "min.insync.replicas of new topics (default: the broker's).")
  @Nullable Integer minInsyncReplicas;

  @Option(
      names = "--acks-retention",
      paramLabel = "DURATION",
      defaultValue = "168h",
      description = "How long v2p.acks keeps watermarks (default: ${DEFAULT-VALUE}).")
  Duration acksRetention;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "How long to wait for the cluster (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    Converters.checkTimeout("--timeout", timeout);
    KafkaLogs.offForOneAnswer(main.env()); // the answer is one line; Kafka's warnings repeat it
    TopicPlan plan;
    try {
      plan = new TopicPlan(partitions, replicationFactor, minInsyncReplicas, acksRetention);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, Object> settings = new HashMap<>(kafka.clientConfig(main.env()));
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    settings.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    settings.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
    TopicReport report;
    int registered;
    List<Integer> autoCreating;
    try (Admin admin = Admin.create(settings)) {
      report = TopicSetup.apply(admin, ProjectorTopics.DEFAULT, plan, timeout);
      autoCreating = AutoCreatingBrokers.of(admin, timeout);
      registered = ReleasedSchemas.register(kafka.clientConfig(main.env()), timeout);
    } catch (ReleasedSchemas.NotVisibleException e) {
      throw new UsageException(e.getMessage(), Cli.EXIT_FAILURE);
    } catch (TopicsNotCoPartitionedException e) {
      throw new UsageException(e.getMessage(), Cli.EXIT_FAILURE);
    } catch (TooFewReplicasException e) {
      throw new UsageException(e.getMessage()); // a bad value, as one the plan refuses
    } catch (KafkaException e) {
      ConfigException badSettings = KafkaErrors.configError(e);
      if (badSettings != null) {
        throw new UsageException(KafkaSettings.describe(badSettings, settings));
      }
      if (KafkaErrors.cause(e, InvalidReplicationFactorException.class) != null) {
        // --replication-factor (or the brokers' default) above the brokers there are: a bad value
        throw new UsageException(KafkaErrors.rootMessage(e));
      }
      if (KafkaErrors.classify(e) == KafkaErrors.Kind.RETRIABLE) {
        throw new UsageException(
            "cannot reach Kafka at "
                + settings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                + " within "
                + Durations.readable(timeout)
                + ": "
                + KafkaErrors.rootMessage(e));
      }
      throw new UsageException(KafkaErrors.rootMessage(e), Cli.EXIT_FAILURE, e);
    }
    PrintWriter out = spec.commandLine().getOut();
    report.entries().forEach(entry -> out.println(entry.describe()));
    out.printf(
        "%s: %d released schema(s) registered, %d there already%n",
        ProjectorTopics.DEFAULT.schemas(),
        registered,
        SchemaHistory.allReleased().size() - registered);
    out.printf(
        "%d created, %d found%s%n",
        report.created().size(),
        report.found().size(),
        report.mismatched().isEmpty()
            ? ""
            : ", " + report.mismatched().size() + " with configs that differ (left as they are)");
    if (!autoCreating.isEmpty()) {
      out.println(AutoCreatingBrokers.warning(autoCreating));
    }
    out.flush();
    return Cli.EXIT_OK;
  }
}
