package dev.v2pledger.projector.runner;

import dev.v2pledger.runtime.kafka.ClientMeters;
import dev.v2pledger.schema.Partitioning;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka clients of one runner generation: the group consumer of the events, its two
 * transactional producers (they take turns, so a transaction never waits for its predecessor's
 * markers: DESIGN "The latency path"), a consumer outside the group that restores the changelog,
 * and an admin client. A fenced runner closes them all and opens a new generation.
 *
 * <p>Settings: the operator's pass-through settings first; then the ones exactly-once depends on,
 * which always win ({@code transactional.id}, {@code enable.idempotence=true}, {@code acks=all},
 * {@code isolation.level=read_committed}, {@code enable.auto.commit=false}, byte-array
 * serializers); tunables get our defaults only when the operator did not set them ({@code
 * linger.ms=0}: the 4.x default of 5 ms would add to every hop; {@code transaction.timeout.ms}: 10
 * s, which bounds how long a stalled zombie can hold back readers).
 *
 * <p>The group consumer always uses the consumer group protocol of KIP-848 ({@code
 * group.protocol=consumer}): the broker assigns the partitions, so there is no client-side
 * assignor, and the group's session timeout and heartbeat interval are group settings ({@code
 * consumer.session.timeout.ms}, {@code consumer.heartbeat.interval.ms}; broker defaults {@code
 * group.consumer.*}). The client-side settings the protocol refuses are refused here too, with one
 * line saying where they went ({@link #refuseClassicSettings}).
 */
final class KafkaClients {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

  /** Our default {@code transaction.timeout.ms}. */
  static final int TRANSACTION_TIMEOUT_MS = 10_000;

  final List<Producer<byte[], byte[]>> producers;
  final Consumer<byte[], byte[]> consumer;
  final Consumer<byte[], byte[]> restoreConsumer;
  final Admin admin;

  /** Kafka's own metrics of these clients, on the runner's registry while they are open. */
  private final ClientMeters meters;

  private KafkaClients(
      List<Producer<byte[], byte[]>> producers,
      Consumer<byte[], byte[]> consumer,
      Consumer<byte[], byte[]> restoreConsumer,
      Admin admin,
      ProjectorConfig config) {
    this.producers = List.copyOf(producers);
    this.consumer = consumer;
    this.restoreConsumer = restoreConsumer;
    this.admin = admin;
    this.meters =
        config.kafkaClientMetrics()
            ? ClientMeters.bind(
                config.registry(),
                Tags.of("runner", config.instanceId()),
                this.producers,
                List.of(consumer, restoreConsumer))
            : ClientMeters.NONE;
  }

  /**
   * Opens a generation: checks the topics with {@code precheck}, then the producers ({@code
   * initTransactions} fences an older producer with the same transactional id and aborts its open
   * transaction), then the consumers.
   */
  static KafkaClients open(
      ProjectorConfig config, ClientFactory factory, java.util.function.Consumer<Admin> precheck) {
    Admin admin = factory.admin(adminConfig(config));
    List<Producer<byte[], byte[]>> producers = new ArrayList<>();
    Consumer<byte[], byte[]> restore = null;
    Consumer<byte[], byte[]> consumer = null;
    try {
      precheck.accept(admin);
      for (String id : config.transactionalIds()) {
        Producer<byte[], byte[]> producer = factory.producer(producerConfig(config, id));
        producers.add(producer);
        producer.initTransactions();
      }
      restore = factory.consumer(restoreConfig(config));
      consumer = factory.consumer(consumerConfig(config));
      return new KafkaClients(producers, consumer, restore, admin, config);
    } catch (RuntimeException e) {
      if (consumer != null) {
        consumer.close(CloseOptions.timeout(Duration.ZERO));
      }
      if (restore != null) {
        restore.close(CloseOptions.timeout(Duration.ZERO));
      }
      producers.forEach(producer -> producer.close(Duration.ZERO));
      admin.close(Duration.ZERO);
      throw e;
    }
  }

  /** The producer's {@code transaction.timeout.ms}: the operator's, or ours. */
  static Duration transactionTimeout(ProjectorConfig config) {
    return ProjectorConfig.transactionTimeout(config.kafka());
  }

  static Map<String, Object> producerConfig(ProjectorConfig config, String transactionalId) {
    // a mapping key's records in its one partition of v2p.mappings, whatever the settings say
    Map<String, Object> settings = Partitioning.keyPartitioned(config.kafka());
    settings.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    settings.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
    settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, config.kafkaTimeout().toMillis());
    settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    settings.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return settings;
  }

  /** The group protocol of the projector's group consumer, the only one it runs with. */
  static final String GROUP_PROTOCOL = "consumer";

  /**
   * Refuses the pass-through settings the consumer group protocol does not take from a client (the
   * classic protocol's), naming where they went instead.
   *
   * @throws IllegalArgumentException one line: the setting and what to set instead
   */
  static void refuseClassicSettings(Map<String, Object> kafka) {
    Object protocol = kafka.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
    if (protocol != null && !GROUP_PROTOCOL.equalsIgnoreCase(protocol.toString().trim())) {
      throw new IllegalArgumentException(
          "group.protocol="
              + protocol
              + " is not supported: the projector runs the consumer group protocol (KIP-848) only");
    }
    refuse(kafka, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "consumer.session.timeout.ms");
    refuse(kafka, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "consumer.heartbeat.interval.ms");
    if (kafka.containsKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)) {
      throw new IllegalArgumentException(
          "partition.assignment.strategy is a classic-protocol setting: under the consumer group"
              + " protocol the broker assigns partitions (group.remote.assignor picks its"
              + " assignor)");
    }
  }

  private static void refuse(Map<String, Object> kafka, String setting, String groupSetting) {
    if (kafka.containsKey(setting)) {
      throw new IllegalArgumentException(
          setting
              + " is a classic-protocol setting: under the consumer group protocol it is the"
              + " group's "
              + groupSetting
              + " (kafka-configs --entity-type groups), or the broker's group."
              + groupSetting);
    }
  }

  /**
   * The operator's {@code max.poll.records} when {@code kafka} has one, else {@code otherwise}: it
   * is a tunable that passes through, and the runner's backlog test must know it (a poll this
   * full).
   *
   * @throws IllegalArgumentException one line, when it is not a whole number
   */
  static int maxPollRecords(Map<String, Object> kafka, int otherwise) {
    Object given = kafka.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
    if (given == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(given.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "max.poll.records must be a whole number, got '" + given + "'", e);
    }
  }

  static Map<String, Object> consumerConfig(ProjectorConfig config) {
    Map<String, Object> settings = new HashMap<>(config.kafka());
    settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GROUP_PROTOCOL);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // never skip the log
    // partitions added to v2p.events are seen (and refused) within this; the default is 5 minutes
    settings.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 30_000);
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    if (config.staticMembership()) {
      settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId());
    } else {
      settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }
    // each client its own id: the first producer has the bare one, and clients sharing an id share
    // their app-info meters (a registry keeps the first)
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-events");
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
    settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return settings;
  }

  static Map<String, Object> restoreConfig(ProjectorConfig config) {
    Map<String, Object> settings = new HashMap<>(config.kafka());
    settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
    settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    settings.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
    settings.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-restore");
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return settings;
  }

  /** The restore consumer's settings, but {@code read_uncommitted}: to read an open transaction. */
  static Map<String, Object> uncommittedConfig(ProjectorConfig config) {
    Map<String, Object> settings = restoreConfig(config);
    settings.put(ConsumerConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-uncommitted");
    settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return settings;
  }

  static Map<String, Object> adminConfig(ProjectorConfig config) {
    Map<String, Object> settings = new HashMap<>(config.kafka());
    settings.put(AdminClientConfig.CLIENT_ID_CONFIG, config.transactionalId() + "-admin");
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, config.kafkaTimeout().toMillis());
    settings.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    settings.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    return settings;
  }

  /**
   * Closes every client. {@code leaveGroup}: a clean stop, so the group reassigns our partitions at
   * once (a static member otherwise keeps them until its session times out).
   */
  void close(Duration timeout, boolean leaveGroup) {
    CloseOptions options =
        CloseOptions.timeout(timeout)
            .withGroupMembershipOperation(
                leaveGroup
                    ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                    : CloseOptions.GroupMembershipOperation.DEFAULT);
    meters.close();
    quietly("consumer", () -> consumer.close(options));
    producers.forEach(producer -> quietly("producer", () -> producer.close(timeout)));
    quietly("restore consumer", () -> restoreConsumer.close(CloseOptions.timeout(timeout)));
    quietly("admin", () -> admin.close(timeout));
  }

  /**
   * After the runner died: the group consumer alone is closed, staying in the group (a static
   * member keeps its assignment for a successor with its instance id), so that its background
   * heartbeats stop; the producers are left as they were, their transactions open.
   */
  void closeConsumerRemainingInGroup(Duration timeout) {
    meters.close();
    quietly(
        "consumer",
        () ->
            consumer.close(
                CloseOptions.timeout(timeout)
                    .withGroupMembershipOperation(
                        CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)));
  }

  private static void quietly(String what, Runnable close) {
    try {
      close.run();
    } catch (RuntimeException e) {
      LOG.debug("closing the {} failed", what, e);
    }
  }
}
