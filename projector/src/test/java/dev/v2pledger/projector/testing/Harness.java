package dev.v2pledger.projector.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.projector.runner.Crashable;
import dev.v2pledger.projector.runner.Probe;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.projector.topics.TopicPlan;
import dev.v2pledger.projector.topics.TopicSetup;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.ProjectedMapping;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One integration scenario on a shared broker: its own topics (prefixed) and consumer group,
 * producing events while folding them into an {@link Oracle}, projectors started and cleaned up,
 * and the checks that compare what Kafka holds with the oracle.
 */
public final class Harness implements AutoCloseable {
  public static final Duration DEADLINE = Duration.ofSeconds(90);

  private final KafkaCluster cluster;
  private final ProjectorTopics topics;
  private final String group;
  private final String context;
  private final Oracle oracle = new Oracle();
  private final EventCodec eventCodec = new EventCodec();
  private final V2PSerde<InstanceEvent> eventHeaders = V2PSerde.events();
  private final KafkaProducer<byte[], byte[]> producer;
  private final Admin admin;
  private final List<Crashable> projectors = new ArrayList<>();
  private int poison;

  /**
   * @param name unique per scenario: the topic prefix and group
   * @param context what failures should mention (the seed)
   */
  public Harness(KafkaCluster cluster, String name, int partitions, String context) {
    this(
        cluster,
        ProjectorTopics.DEFAULT.withPrefix(name + "."),
        name + ".projector",
        partitions,
        context);
  }

  /** A scenario on the given topics (created if missing) and consumer group. */
  public Harness(
      KafkaCluster cluster, ProjectorTopics topics, String group, int partitions, String context) {
    this.cluster = cluster;
    this.topics = topics;
    this.group = group;
    this.context = context;
    this.admin = cluster.admin();
    TopicSetup.apply(admin, topics, TopicPlan.of(partitions), Duration.ofSeconds(30));
    Map<String, Object> config = cluster.clientConfig();
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public ProjectorTopics topics() {
    return topics;
  }

  public String group() {
    return group;
  }

  public Oracle oracle() {
    return oracle;
  }

  public KafkaCluster cluster() {
    return cluster;
  }

  /** A config for a projector of this scenario, tweaked by the test. */
  public ProjectorConfig config(String instanceId, UnaryOperator<ProjectorConfig.Builder> tweak) {
    return config(instanceId, Map.of(), tweak);
  }

  /** A config with extra Kafka client settings. */
  public ProjectorConfig config(
      String instanceId, Map<String, Object> kafka, UnaryOperator<ProjectorConfig.Builder> tweak) {
    Map<String, Object> settings = cluster.clientConfig();
    settings.putAll(kafka);
    return tweak
        .apply(
            ProjectorConfig.builder(settings, instanceId)
                .groupId(group)
                .topics(topics)
                .kafkaTimeout(Duration.ofSeconds(20)))
        .build();
  }

  /**
   * Sets this scenario's group session timeout and heartbeat interval: group settings under the
   * consumer group protocol (KIP-848), within the broker's {@code group.consumer.min.*} bounds.
   */
  public void groupSession(Duration session, Duration heartbeat) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    List<AlterConfigOp> ops =
        List.of(
            new AlterConfigOp(
                new ConfigEntry("consumer.session.timeout.ms", String.valueOf(session.toMillis())),
                AlterConfigOp.OpType.SET),
            new AlterConfigOp(
                new ConfigEntry(
                    "consumer.heartbeat.interval.ms", String.valueOf(heartbeat.toMillis())),
                AlterConfigOp.OpType.SET));
    try {
      admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("group settings of " + group, e.getCause());
    }
  }

  /** Starts a projector that {@link #close()} stops (or cleans up after a {@link #kill}). */
  public Projector start(ProjectorConfig config) {
    return start(config, Probe.NONE);
  }

  /** Starts a projector with this scenario's settings, as {@link #start(ProjectorConfig)}. */
  public Projector start(String instanceId) {
    return start(config(instanceId, b -> b));
  }

  /** Starts a projector with this scenario's settings and waits until it is ready. */
  public Projector startReady(String instanceId) {
    Projector projector = start(instanceId);
    awaitReady(projector);
    return projector;
  }

  /** Starts a projector whose clients tell {@code probe} where its transactions are. */
  public Projector start(ProjectorConfig config, Probe probe) {
    Crashable crashable = Crashable.start(config, probe);
    synchronized (projectors) {
      projectors.add(crashable);
    }
    return crashable.projector();
  }

  /**
   * Crashes {@code projector} (started here): no commit, no abort, no close ({@link Crashable}).
   * From its own thread (a probe) it unwinds right after; from another, this waits for it.
   */
  public void kill(Projector projector) {
    crashable(projector).kill();
  }

  private Crashable crashable(Projector projector) {
    synchronized (projectors) {
      for (Crashable crashable : projectors) {
        if (crashable.projector() == projector) {
          return crashable;
        }
      }
    }
    throw new IllegalArgumentException(projector.instanceId() + " was not started here");
  }

  /** Publishes valid events in this order; the oracle folds them with their positions. */
  public List<EventPosition> publish(List<InstanceEvent> events) {
    List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
    for (InstanceEvent event : events) {
      RecordHeaders headers = new RecordHeaders();
      eventHeaders.addHeaders(headers);
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  topics.events(),
                  null,
                  event.key().getBytes(StandardCharsets.UTF_8),
                  eventCodec.encode(event),
                  headers)));
    }
    List<EventPosition> positions = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      EventPosition position = position(sent.get(i));
      oracle.fold(events.get(i), position);
      positions.add(position);
    }
    return positions;
  }

  /**
   * Publishes {@code event} as {@code value} (its own bytes, e.g. written with a newer schema), to
   * its key's partition; the oracle folds it like any valid event.
   */
  public EventPosition publishAs(InstanceEvent event, byte[] value) {
    EventPosition position =
        position(
            producer.send(
                new ProducerRecord<>(
                    topics.events(), null, event.key().getBytes(StandardCharsets.UTF_8), value)));
    oracle.fold(event, position);
    return position;
  }

  /** Publishes a record to one partition (not folded by the oracle): a misrouted one. */
  public EventPosition publishTo(int partition, byte[] key, byte[] value) {
    poison++;
    return position(producer.send(new ProducerRecord<>(topics.events(), partition, key, value)));
  }

  /** Publishes a record the projector must dead-letter (not folded by the oracle). */
  public EventPosition publishPoison(byte[] key, byte[] value, Header... headers) {
    poison++;
    return position(
        producer.send(
            new ProducerRecord<>(topics.events(), null, key, value, new RecordHeaders(headers))));
  }

  public int poisonPublished() {
    return poison;
  }

  private static EventPosition position(Future<RecordMetadata> future) {
    try {
      RecordMetadata metadata = future.get();
      return new EventPosition(
          metadata.partition(), metadata.offset(), Instant.ofEpochMilli(metadata.timestamp()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("publishing failed", e.getCause());
    }
  }

  /**
   * Waits until {@code projector} holds partitions and is ready (has restored them); fails at once
   * if it stops. Ready alone is not enough: the group consumer calls a new member back with an
   * empty assignment before its partitions come, and a member holding none is ready (a standby).
   */
  /** Waits until each of {@code projectors} is ready holding {@code partitions} partitions. */
  public void awaitReadyHolding(int partitions, Projector... projectors) {
    await()
        .atMost(DEADLINE)
        .alias(context + ": ready holding " + partitions + " partitions")
        .until(
            () ->
                Arrays.stream(projectors)
                    .allMatch(
                        p ->
                            p.readinessProblem() == null
                                && p.status().assigned().size() == partitions));
  }

  public void awaitReady(Projector projector) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (projector.readinessProblem() != null || projector.status().assigned().isEmpty()) {
      if (projector.status().isTerminal()) {
        fail("%s: %s stopped: %s", context, projector.instanceId(), projector.status());
      }
      if (System.nanoTime() > deadline) {
        fail(
            "%s: %s not ready within %s: %s",
            context, projector.instanceId(), DEADLINE, projector.status());
      }
      sleep(20);
    }
  }

  /** Waits until the group has committed every offset of the events topic. */
  public void awaitCaughtUp() {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    String lag = "";
    while (System.nanoTime() < deadline) {
      lag = lag();
      if (lag.isEmpty()) {
        return;
      }
      synchronized (projectors) {
        if (!projectors.isEmpty()
            && projectors.stream().allMatch(p -> p.projector().status().isTerminal())) {
          fail("%s: every projector stopped before catching up (%s): %s", context, lag, statuses());
        }
      }
      sleep(50);
    }
    fail(
        "%s: the projectors did not catch up within %s: %s; projectors %s",
        context, DEADLINE, lag, statuses());
  }

  /** Partitions whose committed offset is behind the end, or "" when none. */
  public String lag() {
    Map<TopicPartition, Long> ends = ends(topics.events(), IsolationLevel.READ_UNCOMMITTED);
    Map<TopicPartition, OffsetAndMetadata> committed;
    try {
      committed =
          admin
              .listConsumerGroupOffsets(
                  group, new ListConsumerGroupOffsetsOptions().requireStable(true))
              .partitionsToOffsetAndMetadata()
              .get();
    } catch (ExecutionException e) {
      return "offsets not readable: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    StringBuilder behind = new StringBuilder();
    ends.forEach(
        (tp, end) -> {
          OffsetAndMetadata at = committed.get(tp);
          long position = at == null ? 0 : at.offset();
          if (position < end) {
            behind
                .append(tp)
                .append(" at ")
                .append(position)
                .append(" of ")
                .append(end)
                .append("; ");
          }
        });
    return behind.toString();
  }

  public String statuses() {
    synchronized (projectors) {
      return projectors.stream()
          .map(c -> c.projector().instanceId() + "=" + c.projector().status())
          .toList()
          .toString();
    }
  }

  /** Every record of {@code topic}, read_committed, to its end once no transaction is open. */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return readAll(topic, IsolationLevel.READ_COMMITTED);
  }

  /**
   * Every record of {@code topic} as {@code isolation} sees it (read_uncommitted: aborted records
   * too), to its end once no transaction is open.
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, IsolationLevel isolation) {
    Map<TopicPartition, Long> ends = settledEnds(topic);
    Map<String, Object> config = cluster.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.name().toLowerCase(Locale.ROOT));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(ends.keySet());
      consumer.seekToBeginning(ends.keySet());
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        if (System.nanoTime() > deadline) {
          fail("%s: could not read %s to its end %s", context, topic, ends);
        }
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  private Map<TopicPartition, Long> settledEnds(String topic) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      Map<TopicPartition, Long> stable = ends(topic, IsolationLevel.READ_COMMITTED);
      Map<TopicPartition, Long> all = ends(topic, IsolationLevel.READ_UNCOMMITTED);
      if (stable.equals(all)) {
        return stable;
      }
      if (System.nanoTime() > deadline) {
        fail("%s: %s still has open transactions: stable %s, end %s", context, topic, stable, all);
      }
      sleep(50);
    }
  }

  /** The end offsets of {@code topic}'s partitions, as a reader at {@code isolation} sees them. */
  public Map<TopicPartition, Long> ends(String topic, IsolationLevel isolation) {
    try {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> out =
          new TreeMap<>((a, b) -> Integer.compare(a.partition(), b.partition()));
      admin
          .listOffsets(request, new ListOffsetsOptions(isolation))
          .all()
          .get()
          .forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The projected records, decoded, in log order per partition. */
  public List<ProjectedMapping> mappings() {
    return mappings(IsolationLevel.READ_COMMITTED);
  }

  /**
   * The end of a scenario in which a transaction was aborted: publishes {@code more}, waits until
   * the projectors caught up, and checks that {@code v2p.mappings} holds the oracle's records and
   * that every aborted record was committed too, some having been aborted.
   */
  public void assertExactlyOnceAfterAborts(List<InstanceEvent> more) {
    publish(more);
    awaitCaughtUp();
    assertMatchesOracle();
    assertThat(assertAbortedRecordsAreCommittedToo())
        .as("%s: records of aborted transactions (committed again, identical)", context)
        .isPositive();
  }

  /**
   * Why appliers may read {@code v2p.mappings} uncommitted (DESIGN "The latency path"): every
   * record an aborted transaction wrote (a killed, fenced or failed projector's) is also in the
   * committed log, identical (key, version, content and cause), because the next owner folds the
   * same events from the same committed state. Returns how many records only read_uncommitted sees
   * (the aborted ones), so a test can show it made some.
   */
  public long assertAbortedRecordsAreCommittedToo() {
    Map<String, ProjectedMapping> committed = new HashMap<>();
    for (ProjectedMapping mapping : mappings(IsolationLevel.READ_COMMITTED)) {
      committed.put(mapping.key() + " " + mapping.mapping().version(), mapping);
    }
    List<ProjectedMapping> all = mappings(IsolationLevel.READ_UNCOMMITTED);
    List<String> notCommitted = new ArrayList<>();
    for (ProjectedMapping mapping : all) {
      ProjectedMapping same = committed.get(mapping.key() + " " + mapping.mapping().version());
      if (!mapping.equals(same)) {
        notCommitted.add(mapping + (same == null ? " (none committed)" : " committed: " + same));
      }
    }
    assertThat(notCommitted)
        .as("%s: records of aborted transactions not committed identically", context)
        .isEmpty();
    return all.size() - committed.size();
  }

  private List<ProjectedMapping> mappings(IsolationLevel isolation) {
    MappingCodec codec = new MappingCodec();
    List<ProjectedMapping> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll(topics.mappings(), isolation)) {
      if (record.value() == null) {
        continue; // a retired key's tombstone (DESIGN "Bounded growth"), not a mapping
      }
      ProjectedMapping mapping =
          codec.decode(
              record.value(), RecordOrigin.of(record.topic(), record.partition(), record.offset()));
      assertThat(new String(record.key(), StandardCharsets.UTF_8))
          .as("%s: key of %s", context, mapping)
          .isEqualTo(mapping.key().toString());
      out.add(mapping);
    }
    return out;
  }

  /**
   * The checks of exactly-once: {@code v2p.mappings} holds exactly the oracle's records (each (key,
   * version) once, with the cause the oracle expects), versions never regress per key in log order,
   * the table in force is the oracle's, and the changelog's last state per instance is the oracle's
   * final state.
   */
  public void assertMatchesOracle() {
    assertMatchesOracle(SchemaSource.none());
  }

  /**
   * As {@link #assertMatchesOracle()}, reading changelog states written with a schema this build
   * was not released with through {@code schemas}.
   */
  public void assertMatchesOracle(SchemaSource schemas) {
    List<ProjectedMapping> actual = mappings();
    List<String> regressions = new ArrayList<>();
    Map<String, ProjectedMapping> newest = new HashMap<>();
    for (ProjectedMapping mapping : actual) {
      String key = mapping.key().toString();
      ProjectedMapping previous = newest.put(key, mapping);
      if (previous != null
          && previous.mapping().version().compareTo(mapping.mapping().version()) >= 0) {
        regressions.add(previous + " then " + mapping); // versions and causes
      }
    }
    assertThat(regressions)
        .as("%s: versions per key in log order must strictly increase", context)
        .isEmpty();
    Map<String, ProjectedMapping> expected = byKeyAndVersion(oracle.records(), "oracle");
    Map<String, ProjectedMapping> found = byKeyAndVersion(actual, "v2p.mappings");
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> different = new ArrayList<>();
    expected.forEach(
        (k, v) -> {
          ProjectedMapping got = found.get(k);
          if (got == null) {
            missing.add(k);
          } else if (!got.equals(v)) {
            different.add(k + ": expected " + v + " got " + got);
          }
        });
    found.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(unexpected::add);
    assertThat(List.of(missing, unexpected, different))
        .as(
            "%s: missing %d, unexpected %d, different %d records (of %d expected); first ones: %s"
                + " / %s / %s",
            context,
            missing.size(),
            unexpected.size(),
            different.size(),
            expected.size(),
            head(missing),
            head(unexpected),
            head(different))
        .allMatch(List::isEmpty);
    assertThat(MappingTable.of(actual.stream().map(ProjectedMapping::mapping).toList()).inForce())
        .as("%s: table in force", context)
        .isEqualTo(oracle.inForce());
    assertThat(changelog(schemas))
        .as("%s: changelog's last states", context)
        .isEqualTo(oracle.states());
  }

  private Map<String, ProjectedMapping> byKeyAndVersion(
      List<ProjectedMapping> records, String what) {
    Map<String, ProjectedMapping> out = new TreeMap<>();
    List<String> twice = new ArrayList<>();
    for (ProjectedMapping record : records) {
      String id = record.key() + " " + record.mapping().version();
      if (out.put(id, record) != null) {
        twice.add(id);
      }
    }
    assertThat(twice)
        .as("%s: (key, version) written more than once in %s", context, what)
        .isEmpty();
    return out;
  }

  /** The last state per instance in the changelog. */
  public Map<InstanceId, InstanceState> changelog() {
    return changelog(SchemaSource.none());
  }

  /** As {@link #changelog()}, with the writer schemas of {@code schemas} too. */
  public Map<InstanceId, InstanceState> changelog(SchemaSource schemas) {
    InstanceStateCodec codec = new InstanceStateCodec(schemas);
    Map<InstanceId, InstanceState> states = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll(topics.instanceState())) {
      if (record.value() == null) { // a removed (deleted, retired) state
        states.remove(InstanceId.parse(new String(record.key(), StandardCharsets.UTF_8)));
        continue;
      }
      InstanceState state = codec.decode(record.value(), RecordOrigin.UNKNOWN);
      states.put(state.instanceId(), state);
    }
    return states;
  }

  private static List<String> head(List<String> items) {
    return items.subList(0, Math.min(5, items.size()));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    List<Crashable> all;
    synchronized (projectors) {
      all = new ArrayList<>(projectors);
    }
    for (Crashable crashable : all) {
      crashable.projector().close();
      crashable.closeAbandoned();
    }
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
