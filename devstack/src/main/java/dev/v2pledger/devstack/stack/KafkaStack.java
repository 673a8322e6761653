package dev.v2pledger.devstack.stack;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.projector.topics.TopicPlan;
import dev.v2pledger.projector.topics.TopicReport;
import dev.v2pledger.projector.topics.TopicSetup;
import dev.v2pledger.schema.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.jspecify.annotations.Nullable;

/**
 * The cluster of a run and the projectors devstack runs on it: an embedded KRaft broker (or the
 * external cluster given), the topics created as {@code projector init-topics} would, and {@code
 * projectors} runners in this JVM sharing the partitions of {@code v2p.events} (none when the
 * projectors run elsewhere).
 */
public final class KafkaStack implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * How long an external cluster has to answer devstack's first request. A cluster that is up
   * answers a describe in milliseconds, so this only decides how soon a wrong or down address is
   * reported; the replay tool waits 15 s by default ({@code --timeout}) for the same. Once the
   * cluster has answered, every later request gets {@link #TIMEOUT}: a loaded cluster (or the
   * embedded broker on two busy cores, which is started and known up) may be slow, not gone.
   */
  static final Duration FIRST_CONTACT = Duration.ofSeconds(15);

  private final @Nullable EmbeddedKafkaBroker broker;
  private final Map<String, Object> kafka;
  private final Admin admin;
  private final MeterRegistry registry;
  private final UnaryOperator<ProjectorConfig.Builder> tuning;
  private final List<Projector> projectors = new ArrayList<>();
  private Function<ProjectorConfig, Projector> starter = Projector::start;
  private final TopicReport topics;

  private KafkaStack(
      @Nullable EmbeddedKafkaBroker broker,
      Map<String, Object> kafka,
      int partitions,
      MeterRegistry registry,
      UnaryOperator<ProjectorConfig.Builder> tuning) {
    this.broker = broker;
    this.kafka = Map.copyOf(kafka);
    this.admin = Admin.create(this.kafka);
    this.registry = registry;
    this.tuning = tuning;
    try {
      if (broker == null) {
        TopicSetup.reach(admin, FIRST_CONTACT);
      }
      this.topics =
          TopicSetup.apply(admin, ProjectorTopics.DEFAULT, TopicPlan.of(partitions), TIMEOUT);
    } catch (RuntimeException e) {
      admin.close(Duration.ZERO);
      // an external cluster's setup failing is a mistake of the settings; the embedded one is ours
      throw broker == null && e instanceof KafkaException k ? new SetupException(k) : e;
    }
  }

  /**
   * The external cluster could not be reached or its topics not set up, before anything ran: the
   * address or the settings are wrong, or the cluster refuses this client. Unlike a failure later
   * in the run (the cluster answered, then did not) or of the embedded broker, a mistake of the
   * person running devstack.
   */
  public static final class SetupException extends KafkaException {
    SetupException(KafkaException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /**
   * Starts (or connects to) the cluster and creates the topics.
   *
   * @param external client settings of an external cluster, or null for an embedded broker
   * @param tuning the run's settings of the local projectors (transaction box, retirement)
   */
  public static KafkaStack start(
      @Nullable Map<String, Object> external,
      int partitions,
      MeterRegistry registry,
      UnaryOperator<ProjectorConfig.Builder> tuning) {
    EmbeddedKafkaBroker broker = null;
    Map<String, Object> kafka;
    if (external == null) {
      // its directory goes when the JVM is stopped (Ctrl-C, SIGTERM) too, not only on close
      broker = EmbeddedKafkaBroker.builder().removedOnExit().start();
      kafka = new HashMap<>(broker.clientConfig());
    } else {
      kafka = new HashMap<>(external);
    }
    try {
      return new KafkaStack(broker, kafka, partitions, registry, tuning);
    } catch (RuntimeException e) {
      if (broker != null) {
        broker.close();
      }
      throw e;
    }
  }

  public Map<String, Object> kafka() {
    return kafka;
  }

  public @Nullable EmbeddedKafkaBroker broker() {
    return broker;
  }

  public String bootstrapServers() {
    return String.valueOf(kafka.get("bootstrap.servers"));
  }

  public TopicReport topics() {
    return topics;
  }

  /** The registry the local projectors (and the run's local appliers) record their meters in. */
  public MeterRegistry registry() {
    return registry;
  }

  public Admin admin() {
    return admin;
  }

  /**
   * Starts {@code count} projector runners, {@code devstack-projector-<i>}, with {@code starter}:
   * {@code Projector::start}, or a test's (fault tests start them on clients they can crash).
   */
  public void startProjectors(int count, Function<ProjectorConfig, Projector> starter) {
    this.starter = starter;
    for (int i = 0; i < count; i++) {
      projectors.add(starter.apply(projectorConfig(i)));
    }
  }

  private ProjectorConfig projectorConfig(int index) {
    return tuning
        .apply(ProjectorConfig.builder(kafka, "devstack-projector-" + index).registry(registry))
        .build();
  }

  public List<Projector> projectors() {
    return List.copyOf(projectors);
  }

  /**
   * Starts projector {@code index} again with the same instance id, after it stopped (a test
   * crashed it): it fences its predecessor.
   */
  public void restartProjector(int index) {
    Projector old = projectors.get(index);
    projectors.set(index, starter.apply(projectorConfig(index)));
    old.close(); // nothing left to do if it died
  }

  /**
   * Why the projectors are not ready: one is not running or restoring, or the group has not
   * assigned every partition yet. Null when ready (or when none runs here).
   */
  public @Nullable String projectorsProblem() {
    if (projectors.isEmpty()) {
      return null;
    }
    Set<Integer> assigned = new TreeSet<>();
    for (Projector projector : projectors) {
      String problem = projector.readinessProblem();
      if (problem != null) {
        return projector.instanceId() + ": " + problem;
      }
      assigned.addAll(projector.status().assigned());
    }
    int partitions = partitionCount(Topics.EVENTS);
    return assigned.size() == partitions
        ? null
        : "partitions assigned: " + assigned.size() + " of " + partitions;
  }

  public int partitionCount(String topic) {
    return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().size();
  }

  /** The end offsets of {@code topic}, as a {@code read_committed} reader sees them. */
  public Map<Integer, Long> endOffsets(String topic) {
    int count = partitionCount(topic);
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (int p = 0; p < count; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<Integer, Long> out = new HashMap<>();
    get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
        .forEach((tp, info) -> out.put(tp.partition(), info.offset()));
    return out;
  }

  /** The projectors' committed offsets on {@code v2p.events}. */
  public Map<Integer, Long> projectorOffsets() {
    Map<Integer, Long> out = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> offsets =
        get(
            admin
                .listConsumerGroupOffsets(ProjectorConfig.DEFAULT_GROUP_ID)
                .partitionsToOffsetAndMetadata());
    offsets.forEach(
        (tp, offset) -> {
          if (offset != null && tp.topic().equals(Topics.EVENTS)) {
            out.put(tp.partition(), offset.offset());
          }
        });
    return out;
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException("the cluster did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  @Override
  public void close() {
    for (Projector projector : projectors) {
      projector.close();
    }
    admin.close(Duration.ofSeconds(5));
    if (broker != null) {
      broker.close();
    }
  }
}
