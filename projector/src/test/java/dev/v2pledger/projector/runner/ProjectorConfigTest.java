package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class ProjectorConfigTest {
  private final Map<String, Object> operator =
      Map.of(
          "bootstrap.servers", "kafka:9093",
          "security.protocol", "SASL_SSL",
          "linger.ms", "2",
          "enable.idempotence", "false",
          "isolation.level", "read_uncommitted",
          "auto.offset.reset", "latest", // would skip the log's events a new group never read
          "transactional.id", "someone-else");

  @Test
  void exactlyOnceSettingsAlwaysWin_andTunablesKeepTheOperatorsValues() {
    ProjectorConfig config = ProjectorConfig.builder(operator, "p-1").build();

    assertThat(config.transactionalIds())
        .containsExactly("v2p-projector-p-1", "v2p-projector-p-1+2");
    Map<String, Object> producer = KafkaClients.producerConfig(config, "v2p-projector-p-1+2");
    Map<String, Object> consumer = KafkaClients.consumerConfig(config);

    assertThat(producer)
        .containsEntry("transactional.id", "v2p-projector-p-1+2")
        .containsEntry("client.id", "v2p-projector-p-1+2")
        .containsEntry("enable.idempotence", true)
        .containsEntry("acks", "all")
        .containsEntry("linger.ms", "2")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("transaction.timeout.ms", KafkaClients.TRANSACTION_TIMEOUT_MS);
    assertThat(consumer)
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("enable.auto.commit", false)
        .containsEntry("group.id", "v2p-projector")
        .containsEntry("group.instance.id", "p-1")
        .containsEntry("client.id", "v2p-projector-p-1-events") // not a producer's
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("value.deserializer", ByteArrayDeserializer.class)
        .containsEntry("group.protocol", "consumer")
        .doesNotContainKey("partition.assignment.strategy");
    assertThat(KafkaClients.restoreConfig(config))
        .doesNotContainKeys("group.id", "group.instance.id")
        .containsEntry("isolation.level", "read_committed");
    assertThat(KafkaClients.transactionTimeout(config)).isEqualTo(Duration.ofSeconds(10));
  }

  /**
   * {@code max.poll.records} is a tunable: the operator's passes through, and the runner's backlog
   * test (a poll this full) uses the same number instead of the default the consumer no longer has.
   */
  @Test
  void anOperatorsMaxPollRecords_isTheConsumersAndTheBacklogTests() {
    ProjectorConfig config =
        ProjectorConfig.builder(Map.of("bootstrap.servers", "k:1", "max.poll.records", "2000"), "p")
            .build();

    assertThat(config.maxPollRecords()).isEqualTo(2000);
    assertThat(KafkaClients.consumerConfig(config)).containsEntry("max.poll.records", 2000);
    assertThat(ProjectorConfig.builder(Map.of("bootstrap.servers", "k:1"), "p").build())
        .extracting(ProjectorConfig::maxPollRecords)
        .isEqualTo(ProjectorConfig.DEFAULT_MAX_POLL_RECORDS);
    assertThatThrownBy(
            () -> ProjectorConfig.builder(Map.of("max.poll.records", "many"), "p").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max.poll.records must be a whole number, got 'many'");
    assertThatThrownBy(() -> ProjectorConfig.builder(Map.of("max.poll.records", 0), "p").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max.poll.records must be at least 1, got 0");
  }

  /**
   * The broker aborts a transaction older than its timeout: an age that cannot be kept is refused.
   */
  @Test
  void transactionAgesMustLeaveTheCommitRoomWithinTheTransactionTimeout() {
    Map<String, Object> kafka = Map.of("bootstrap.servers", "k:1");

    assertThatThrownBy(
            () -> ProjectorConfig.builder(kafka, "p").maxTxAge(Duration.ofSeconds(60)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a transaction age of 60000 ms leaves its commit no room within transaction.timeout.ms"
                + " (10000 ms; the broker aborts older transactions): keep the ages at most half"
                + " of it");
    assertThatThrownBy(
            () ->
                ProjectorConfig.builder(kafka, "p")
                    .maxTxAgeUnderBacklog(Duration.ofSeconds(6))
                    .build())
        .hasMessageStartingWith("a transaction age of 6000 ms");
    assertThat(
            ProjectorConfig.builder(
                    Map.of("bootstrap.servers", "k:1", "transaction.timeout.ms", "150000"), "p")
                .maxTxAge(Duration.ofSeconds(60))
                .build()
                .maxTxAge())
        .as("a longer timeout allows it")
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(
            ProjectorConfig.builder(kafka, "p")
                .maxTxAge(Duration.ofMillis(200))
                .build()
                .maxTxAgeUnderBacklog())
        .as("a backlog never closes transactions sooner")
        .isEqualTo(Duration.ofMillis(200));
    assertThatThrownBy(() -> ProjectorConfig.builder(kafka, "p").maxTxRecords(20_000).build())
        .as("a record limit under a backlog below the one without is refused, not raised")
        .hasMessage(
            "the maximum events per transaction under a backlog (10000) must not be below the"
                + " maximum without one (20000)");
  }

  /**
   * A {@code --kafka-config} file keeps the blanks around a value (java.util.Properties does), and
   * Kafka's clients trim them: the projector reads {@code transaction.timeout.ms} as they do (it
   * refused "150000 " as not a number and did not start).
   */
  @Test
  void aTransactionTimeoutWithBlanksAroundIt_isReadAsKafkaReadsIt() {
    ProjectorConfig config =
        ProjectorConfig.builder(
                Map.of("bootstrap.servers", "k:1", "transaction.timeout.ms", " 150000 "), "p")
            .maxTxAge(Duration.ofSeconds(60))
            .build();

    assertThat(KafkaClients.transactionTimeout(config)).isEqualTo(Duration.ofSeconds(150));
  }

  @Test
  void lingerIsZeroUnlessTheOperatorSaysOtherwise_andTheConsumerProtocolGetsNoAssignor() {
    ProjectorConfig config =
        ProjectorConfig.builder(
                Map.of("bootstrap.servers", "k:1", "group.protocol", "consumer"), "p")
            .staticMembership(false)
            .build();

    assertThat(KafkaClients.producerConfig(config, config.transactionalId()))
        .containsEntry("linger.ms", 0);
    assertThat(KafkaClients.consumerConfig(config))
        .doesNotContainKeys("partition.assignment.strategy", "group.instance.id");
  }

  @Test
  void refusesTheClassicProtocolAndItsClientSideGroupSettings_sayingWhereTheyWent() {
    assertThatThrownBy(() -> classic("group.protocol", "classic"))
        .hasMessageContaining("consumer group protocol (KIP-848) only");
    assertThatThrownBy(() -> classic("session.timeout.ms", "10000"))
        .hasMessageContaining("the group's consumer.session.timeout.ms");
    assertThatThrownBy(() -> classic("heartbeat.interval.ms", "1000"))
        .hasMessageContaining("the group's consumer.heartbeat.interval.ms");
    assertThatThrownBy(() -> classic("partition.assignment.strategy", "x"))
        .hasMessageContaining("the broker assigns partitions");
    assertThat(KafkaClients.consumerConfig(classic("group.protocol", "CONSUMER")))
        .containsEntry("group.protocol", "consumer");
  }

  /** A mapping key's records stay in its one partition of v2p.mappings, whatever the settings. */
  @Test
  void theProducersPartitionByKey_whateverPartitionerTheSettingsName() {
    ProjectorConfig config =
        ProjectorConfig.builder(
                Map.of(
                    "bootstrap.servers",
                    "k:1",
                    "partitioner.class",
                    "my.RoundRobin",
                    "partitioner.ignore.keys",
                    "true"),
                "p")
            .build();

    assertThat(KafkaClients.producerConfig(config, "t"))
        .doesNotContainKey("partitioner.class")
        .containsEntry("partitioner.ignore.keys", false);
  }

  private static ProjectorConfig classic(String setting, String value) {
    return ProjectorConfig.builder(Map.of("bootstrap.servers", "k:1", setting, value), "p").build();
  }

  @Test
  void refusesValuesThatCannotWork() {
    Map<String, Object> kafka = Map.of("bootstrap.servers", "k:1");
    assertThatThrownBy(() -> ProjectorConfig.builder(kafka, "has space").build())
        .hasMessageContaining("instance id 'has space' must be 1 to 200 letters");
    assertThatThrownBy(() -> ProjectorConfig.builder(kafka, "p").maxTxRecords(0).build())
        .hasMessage("the maximum events per transaction must be at least 1, got 0");
    assertThatThrownBy(
            () -> ProjectorConfig.builder(kafka, "p").maxTxAge(Duration.ofMillis(-1)).build())
        .hasMessage("the maximum transaction age must not be negative, got PT-0.001S");
    assertThat(ProjectorConfig.builder(kafka, "p").maxTxAge(Duration.ZERO).build().commitPerPoll())
        .isTrue();
  }

  @Test
  void statusSaysWhyItIsNotReady() {
    assertThat(ProjectorStatus.of(ProjectorStatus.Phase.JOINING).readinessProblem())
        .isEqualTo("waiting for a partition assignment");
    ProjectorStatus restoring =
        new ProjectorStatus(ProjectorStatus.Phase.RESTORING, Set.of(0, 1), Set.of(1), 0, null);
    assertThat(restoring.readinessProblem()).isEqualTo("restoring the state of partitions [1]");
    assertThat(restoring.livenessProblem()).isNull();
    ProjectorStatus failed =
        new ProjectorStatus(ProjectorStatus.Phase.FAILED, Set.of(), Set.of(), 0, "boom");
    assertThat(failed.livenessProblem()).isEqualTo("failed: boom");
    assertThat(failed.isTerminal()).isTrue();
  }
}
