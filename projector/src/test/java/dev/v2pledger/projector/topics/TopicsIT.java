package dev.v2pledger.projector.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.cli.ProjectorMain;
import dev.v2pledger.runtime.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** init-topics against a real broker: through the API (prefixed names) and the command line. */
@WithKafka
class TopicsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void createsEveryTopicWithItsConfigs_thenFindsThem(KafkaCluster kafka) {
    ProjectorTopics names = ProjectorTopics.DEFAULT.withPrefix("api.");
    TopicPlan plan = new TopicPlan(4, (short) 1, 1, Duration.ofHours(2));
    try (Admin admin = kafka.admin()) {
      TopicReport first = TopicSetup.apply(admin, names, plan, TIMEOUT);
      TopicReport second = TopicSetup.apply(admin, names, plan, TIMEOUT);

      assertThat(first.created()).containsExactlyElementsOf(names.all());
      assertThat(second.created()).isEmpty();
      assertThat(second.found()).containsExactlyElementsOf(names.all());
      assertThat(second.mismatched()).isEmpty();
      assertThat(second.entries())
          .allMatch(e -> e.partitions() == (e.name().equals(names.schemas()) ? 1 : 4));
    }
    assertThat(kafka.topicConfig(names.events()))
        .containsEntry("retention.ms", "-1")
        .containsEntry("message.timestamp.type", "LogAppendTime")
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("min.insync.replicas", "1");
    assertThat(kafka.topicConfig(names.dlq())).containsEntry("retention.ms", "-1");
    assertThat(kafka.topicConfig(names.mappings())).containsEntry("cleanup.policy", "compact");
    assertThat(kafka.topicConfig(names.instanceState())).containsEntry("cleanup.policy", "compact");
    assertThat(kafka.topicConfig(names.acks()))
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", Long.toString(Duration.ofHours(2).toMillis()));
  }

  /**
   * A broker whose metadata does not have the topics yet answers ListOffsets with "metadata for
   * topic could not be found" after another broker described their leaders (FailoverIT's three
   * brokers, in CI): the wait for the partitions to be online looks again.
   */
  @Test
  void aPartitionNotInTheMetadataYet_isWaitedFor_notAFailure(KafkaCluster kafka) {
    ProjectorTopics names = ProjectorTopics.DEFAULT.withPrefix("lagging.");
    TopicPlan plan = new TopicPlan(2, (short) 1, 1, Duration.ofHours(2));
    AtomicInteger misses = new AtomicInteger();
    try (Admin admin =
        new ForwardingAdmin(kafka.clientConfig()) {
          @Override
          public ListOffsetsResult listOffsets(
              Map<TopicPartition, OffsetSpec> offsets, ListOffsetsOptions options) {
            if (misses.getAndIncrement() > 0) {
              return super.listOffsets(offsets, options);
            }
            KafkaFutureImpl<ListOffsetsResultInfo> unknown = new KafkaFutureImpl<>();
            unknown.completeExceptionally(
                new UnknownTopicOrPartitionException("metadata for topic could not be found"));
            Map<TopicPartition, KafkaFuture<ListOffsetsResultInfo>> futures = new HashMap<>();
            offsets.keySet().forEach(partition -> futures.put(partition, unknown));
            return new ListOffsetsResult(futures);
          }
        }) {
      TopicReport report = TopicSetup.apply(admin, names, plan, TIMEOUT);

      assertThat(report.created()).containsExactlyElementsOf(names.all());
      assertThat(misses).as("asked again after the miss").hasValueGreaterThan(1);
    }
  }

  @Test
  void aMissingChangelogTakesTheEventsPartitionCount_andDisagreeingCountsAreRefused(
      KafkaCluster kafka) {
    ProjectorTopics names = ProjectorTopics.DEFAULT.withPrefix("copart.");
    kafka.createTopics(TopicSpec.of(names.events(), 3));
    try (Admin admin = kafka.admin()) {
      TopicReport report = TopicSetup.apply(admin, names, TopicPlan.of(8), TIMEOUT);

      assertThat(report.found()).containsExactly(names.events());
      assertThat(report.entries())
          .filteredOn(e -> e.name().equals(names.instanceState()))
          .singleElement()
          .satisfies(e -> assertThat(e.partitions()).isEqualTo(3));
      assertThat(report.entries())
          .filteredOn(e -> e.name().equals(names.mappings()))
          .singleElement()
          .satisfies(e -> assertThat(e.partitions()).isEqualTo(8));
      assertThat(report.mismatched())
          .singleElement()
          .satisfies(e -> assertThat(e.differences()).anyMatch(d -> d.startsWith("retention.ms=")));

      ProjectorTopics other = ProjectorTopics.DEFAULT.withPrefix("mismatch.");
      kafka.createTopics(TopicSpec.of(other.events(), 3), TopicSpec.of(other.instanceState(), 2));
      assertThatThrownBy(() -> TopicSetup.apply(admin, other, TopicPlan.of(3), TIMEOUT))
          .isInstanceOf(TopicsNotCoPartitionedException.class)
          .hasMessage(
              "mismatch.v2p.events has 3 partitions but mismatch.v2p.instance-state has 2: they"
                  + " must have the same count (the state of partition p lives in partition p);"
                  + " refusing to go on");
      assertThat(TopicSetup.partitions(admin, other.all(), TIMEOUT))
          .as("nothing created after the refusal")
          .containsOnlyKeys(other.events(), other.instanceState());
    }
  }

  @Test
  void aMinInsyncAboveTheBrokersReplicationFactor_isRefusedBeforeAnythingIsCreated(
      KafkaCluster kafka) {
    ProjectorTopics names = ProjectorTopics.DEFAULT.withPrefix("minisr.");
    try (Admin admin = kafka.admin()) {
      // no --replication-factor: the broker's default (1 on this one-broker cluster) applies
      assertThatThrownBy(
              () ->
                  TopicSetup.apply(
                      admin, names, new TopicPlan(2, null, 2, Duration.ofHours(1)), TIMEOUT))
          .isInstanceOf(TooFewReplicasException.class)
          .hasMessageStartingWith("min.insync.replicas 2 is more than the replication factor 1");
      assertThat(TopicSetup.partitions(admin, names.all(), TIMEOUT))
          .as("nothing created")
          .isEmpty();
    }
  }

  /**
   * A value the one broker cannot honour is a bad value (exit 2, one line) and creates nothing: a
   * min.insync.replicas above its default replication factor (the broker would create the topics
   * without a word), a replication factor above its count.
   */
  @ParameterizedTest
  @CsvSource({
    "--min-insync-replicas, 2, min.insync.replicas 2 is more than the replication factor 1,"
        + " the cluster gives new topics",
    "--replication-factor, 3, 'InvalidReplicationFactorException: ', only 1 broker(s)"
  })
  void commandLine_aValueTheBrokerCannotHonour_isABadValue_andCreatesNothing(
      String flag, String value, String startsWith, String contains, @TempDir Path dir) {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().baseDir(dir).start()) {
      Result refused =
          cli("init-topics", "--bootstrap-servers", kafka.bootstrapServers(), flag, value);
      assertThat(refused.code).as(refused.out + refused.err).isEqualTo(Cli.EXIT_USAGE);
      assertThat(refused.err.strip().lines()).hasSize(1);
      assertThat(refused.err).startsWith("init-topics: " + startsWith).contains(contains);
      try (Admin admin = kafka.admin()) {
        assertThat(TopicSetup.partitions(admin, ProjectorTopics.DEFAULT.all(), TIMEOUT)).isEmpty();
      }
    }
  }

  @Test
  void theEventsAreKeptForever_onBrokersWithASizeRetention(@TempDir Path dir) {
    try (EmbeddedKafkaBroker kafka = aBrokerWith(dir, "log.retention.bytes", "1048576")) {
      ProjectorTopics names = ProjectorTopics.DEFAULT;
      try (Admin admin = kafka.admin()) {
        TopicSetup.apply(admin, names, TopicPlan.of(1), TIMEOUT);
      }
      assertThat(kafka.topicConfig(names.events())).containsEntry("retention.bytes", "-1");
      assertThat(kafka.topicConfig(names.dlq())).containsEntry("retention.bytes", "-1");
    }
  }

  @Test
  void commandLine_runNeedsTopics_initTopicsCreatesThem_refusesAMismatch(KafkaCluster kafka) {
    String bootstrap = kafka.bootstrapServers();
    Result run =
        cli(
            "run",
            "--bootstrap-servers",
            bootstrap,
            "--instance-id",
            "cli",
            "--metrics-port",
            "-1");
    assertThat(run.code).isEqualTo(Cli.EXIT_FAILURE);
    assertThat(run.err.strip())
        .isEqualTo(
            "run: topic(s) v2p.events, v2p.events.dlq, v2p.mappings, v2p.instance-state do not"
                + " exist: run 'projector init-topics'");

    kafka.createTopics(TopicSpec.of("v2p.events", 3), TopicSpec.of("v2p.instance-state", 2));
    Result refused = cli("init-topics", "--bootstrap-servers", bootstrap);
    assertThat(refused.code).isEqualTo(Cli.EXIT_FAILURE);
    assertThat(refused.err.strip().lines()).hasSize(1);
    assertThat(refused.err).startsWith("init-topics: v2p.events has 3 partitions but");

    try (Admin admin = kafka.admin()) {
      admin.deleteTopics(List.of("v2p.instance-state")).all().get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    Result created = awaitCreated(bootstrap, "--partitions", "5", "--acks-retention", "1h");
    assertThat(created.out)
        .contains("created v2p.instance-state (3 partitions; cleanup.policy=compact)")
        .contains("created v2p.mappings (5 partitions; cleanup.policy=compact)")
        .contains(
            "found   v2p.events (3 partitions; cleanup.policy=delete,"
                + " message.timestamp.type=CreateTime, retention.bytes=-1,"
                + " retention.ms=604800000)")
        .contains("WARNING differs: message.timestamp.type=CreateTime (wanted LogAppendTime)")
        .contains("5 created, 1 found");
    assertThat(kafka.topicConfig("v2p.acks")).containsEntry("retention.ms", "3600000");

    Result again = cli("init-topics", "--bootstrap-servers", bootstrap);
    assertThat(again.code).isZero();
    assertThat(again.out)
        .contains("0 created, 6 found")
        .contains("0 released schema(s) registered")
        .doesNotContain("auto.create.topics.enable");
  }

  @Test
  void commandLine_warnsOfBrokersThatCreateTopicsOnFirstWrite(@TempDir Path dir) {
    try (EmbeddedKafkaBroker kafka = aBrokerWith(dir, "auto.create.topics.enable", "true")) {
      Result result = cli("init-topics", "--bootstrap-servers", kafka.bootstrapServers());
      assertThat(result.code).isZero();
      assertThat(result.out)
          .contains("6 created, 0 found")
          .contains(
              "WARNING broker(s) [1] have auto.create.topics.enable=true: a write to a deleted"
                  + " v2p.* topic creates it again");
    }
  }

  @Test
  void commandLine_unreachableBrokerIsOneLineWithExitCode2() {
    Result result = cli("init-topics", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "2s");
    assertThat(result.code).isEqualTo(Cli.EXIT_USAGE);
    assertThat(result.err.strip().lines()).hasSize(1);
    assertThat(result.err).startsWith("init-topics: cannot reach Kafka at 127.0.0.1:1 within 2 s");
  }

  /** Topic deletion completes asynchronously: retries while the old topic is still going away. */
  private static Result awaitCreated(String bootstrap, String... args) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      String[] all = new String[args.length + 3];
      all[0] = "init-topics";
      all[1] = "--bootstrap-servers";
      all[2] = bootstrap;
      System.arraycopy(args, 0, all, 3, args.length);
      Result result = cli(all);
      if (result.code == 0 || System.nanoTime() > deadline) {
        assertThat(result.code).as(result.err).isZero();
        return result;
      }
    }
  }

  /** A broker of its own in {@code dir}, with one setting of the broker's not the default. */
  private static EmbeddedKafkaBroker aBrokerWith(Path dir, String property, String value) {
    return EmbeddedKafkaBroker.builder().baseDir(dir).brokerProperty(property, value).start();
  }

  private record Result(int code, String out, String err) {}

  private static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Cli.run(
            new ProjectorMain(Map.of()),
            args,
            Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
