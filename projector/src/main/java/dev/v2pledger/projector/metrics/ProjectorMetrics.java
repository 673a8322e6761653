package dev.v2pledger.projector.metrics;

import dev.v2pledger.runtime.http.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one projector runner. Every meter carries {@code runner=<instance id>}, so several
 * runners can share one registry (the one-machine stack runs several in one JVM). In Prometheus
 * text, dots become underscores and counters end in {@code _total}.
 *
 * <table>
 *   <caption>meters</caption>
 *   <tr><td>{@code v2p.projector.events.folded}</td><td>valid events run through the fold</td></tr>
 *   <tr><td>{@code v2p.projector.events.ignored{reason}}</td><td>of those, events that changed
 *       nothing, by reason ({@code duplicate}, {@code stale_report}, ...); {@code
 *       buffer_overflow} counts pending report registers dropped and retired keys forgotten (DESIGN
 *       "Bounds")</td></tr>
 *   <tr><td>{@code v2p.projector.dlq{reason}}</td><td>poison events sent to the DLQ</td></tr>
 *   <tr><td>{@code v2p.projector.records.written{topic}}</td><td>records written (committed or
 *       not) per topic</td></tr>
 *   <tr><td>{@code v2p.projector.transaction.commit}</td><td>time from the first state write to
 *       the end of {@code commitTransaction}</td></tr>
 *   <tr><td>{@code v2p.projector.transaction.events}</td><td>events per committed
 *       transaction</td></tr>
 *   <tr><td>{@code v2p.projector.commit.step{step}}</td><td>the parts of a commit: {@code
 *       states} (sending the changed states), {@code offsets} ({@code
 *       sendOffsetsToTransaction}), {@code end} ({@code commitTransaction})</td></tr>
 *   <tr><td>{@code v2p.projector.latency{stage}}</td><td>per event, where its time goes: {@code
 *       polled} (logged in the events topic -> returned by a poll), {@code sent} (polled -> its
 *       records handed to the producer), {@code committed} (sent -> its transaction
 *       committed)</td></tr>
 *   <tr><td>{@code v2p.projector.transactions.aborted}</td><td>transactions aborted</td></tr>
 *   <tr><td>{@code v2p.projector.restore}</td><td>time to restore newly assigned
 *       partitions</td></tr>
 *   <tr><td>{@code v2p.projector.restore.records}</td><td>changelog records read</td></tr>
 *   <tr><td>{@code v2p.projector.lag{partition}}</td><td>events not yet consumed per assigned
 *       partition</td></tr>
 *   <tr><td>{@code v2p.projector.rebalances{kind}}</td><td>partitions assigned, revoked or lost
 *       (callbacks)</td></tr>
 *   <tr><td>{@code v2p.projector.fencings}</td><td>times this runner was fenced and
 *       rejoined</td></tr>
 *   <tr><td>{@code v2p.projector.retries}</td><td>failed attempts retried</td></tr>
 *   <tr><td>{@code v2p.projector.instances}</td><td>instance states held</td></tr>
 *   <tr><td>{@code v2p.projector.partitions{state}}</td><td>partitions {@code assigned}, and
 *       {@code restoring}</td></tr>
 * </table>
 *
 * <p>Beside these, when the config asks for them (the daemon), Kafka's own metrics of the runner's
 * clients ({@code kafka.consumer.*}, {@code kafka.producer.*}, tagged {@code runner} and {@code
 * client.id}) are on the same registry while the clients are open ({@code ClientMeters}).
 */
public final class ProjectorMetrics {
  private static final String PREFIX = "v2p.projector.";

  /** The parts of a commit. */
  public enum CommitStep {
    STATES,
    OFFSETS,
    END
  }

  /** Where an event's time goes in the projector, each stage from the end of the one before. */
  public enum Stage {
    /** Logged in the events topic (its log-append time) -> returned by a poll. */
    POLLED,
    /** Polled -> its records handed to the producer (the fold, and its batch's earlier events). */
    SENT,
    /** Sent -> its transaction committed. */
    COMMITTED
  }

  /** The counters with no tags of their own: name (after the prefix) and description. */
  private enum Count {
    FOLDED("events.folded", "valid events run through the fold"),
    ABORTED("transactions.aborted", "transactions aborted"),
    RESTORE_RECORDS("restore.records", "changelog records read while restoring"),
    FENCINGS("fencings", "times fenced (zombie) and rejoined"),
    RETRIES("retries", "failed attempts that were retried"),
    HANGING_ABORTED(
        "hanging.transactions.aborted",
        "open transactions no coordinator would close, aborted before restoring"),
    HANGING_FOUND(
        "hanging.transactions.found",
        "open transactions no coordinator would close found on v2p.mappings or v2p.events.dlq"
            + " (reported, never aborted: projector README, \"Hanging transactions\")");

    private final String meterName;
    private final String description;

    Count(String meterName, String description) {
      this.meterName = meterName;
      this.description = description;
    }
  }

  private final MeterRegistry registry;
  private final Tags tags;
  private final Map<Count, Counter> counts = new EnumMap<>(Count.class);
  private final Map<String, Counter> ignored = new ConcurrentHashMap<>();
  private final Map<String, Counter> dlq = new ConcurrentHashMap<>();
  private final Map<String, Counter> written = new ConcurrentHashMap<>();
  private final Timer commit;
  private final Map<CommitStep, Timer> commitSteps;
  private final Map<Stage, Timer> stages;
  private final DistributionSummary txEvents;
  private final Timer restore;
  private final Map<Integer, AtomicLong> lagValues = new ConcurrentHashMap<>();
  private final Map<Integer, Gauge> lagGauges = new ConcurrentHashMap<>();
  private final Map<String, Counter> rebalances = new ConcurrentHashMap<>();
  private final AtomicLong instances = new AtomicLong();
  private final AtomicLong assigned = new AtomicLong();
  private final AtomicLong restoring = new AtomicLong();

  public ProjectorMetrics(MeterRegistry registry, String runner) {
    this.registry = registry;
    this.tags = Tags.of("runner", runner);
    for (Count count : Count.values()) {
      counts.put(count, counter(count.meterName, count.description, Tags.empty()));
    }
    this.commit =
        latencyTimer(
            "transaction.commit",
            "state writes, offsets and commitTransaction of one transaction",
            Tags.empty(),
            Duration.ofMillis(1));
    this.commitSteps =
        latencyTimers(CommitStep.class, "commit.step", "one part of a commit", "step");
    this.stages =
        latencyTimers(
            Stage.class,
            "latency",
            "per event, one stage of its way through the projector",
            "stage");
    this.txEvents =
        DistributionSummary.builder(PREFIX + "transaction.events")
            .description("events per committed transaction")
            .tags(tags)
            .register(registry);
    this.restore =
        Timer.builder(PREFIX + "restore")
            .description("committed offsets and changelog restore of newly assigned partitions")
            .tags(tags)
            .register(registry);
    Metrics.gauge(
        registry, PREFIX + "instances", "instance states held in memory", tags, instances);
    partitionsGauge("assigned", assigned);
    partitionsGauge("restoring", restoring);
  }

  private void partitionsGauge(String state, AtomicLong value) {
    Metrics.gauge(
        registry,
        PREFIX + "partitions",
        "partitions of the events topic assigned",
        tags.and("state", state),
        value);
  }

  /** One latency timer per constant of {@code type}, tagged {@code tag=<constant, lower case>}. */
  private <E extends Enum<E>> Map<E, Timer> latencyTimers(
      Class<E> type, String name, String description, String tag) {
    Map<E, Timer> timers = new EnumMap<>(type);
    for (E constant : type.getEnumConstants()) {
      timers.put(
          constant,
          latencyTimer(
              name,
              description,
              Tags.of(tag, constant.name().toLowerCase(Locale.ROOT)),
              Duration.ofNanos(100_000)));
    }
    return timers;
  }

  private Timer latencyTimer(String name, String description, Tags extra, Duration min) {
    return Metrics.latencyTimer(
        registry, PREFIX + name, description, tags.and(extra), min, Duration.ofSeconds(10));
  }

  private Counter counter(String name, String description, Tags extra) {
    return Counter.builder(PREFIX + name)
        .description(description)
        .tags(tags.and(extra))
        .register(registry);
  }

  public void hangingAborted(int count) {
    counts.get(Count.HANGING_ABORTED).increment(count);
  }

  public void hangingFound(int count) {
    counts.get(Count.HANGING_FOUND).increment(count);
  }

  public void folded() {
    counts.get(Count.FOLDED).increment();
  }

  public void ignored(String reason) {
    ignored(reason, 1);
  }

  /** {@code count} things of {@code reason}: {@code buffer_overflow} counts what was forgotten. */
  public void ignored(String reason, int count) {
    ignored
        .computeIfAbsent(
            reason,
            r -> counter("events.ignored", "events that changed nothing", Tags.of("reason", r)))
        .increment(count);
  }

  public void deadLettered(String reason) {
    dlq.computeIfAbsent(
            reason, r -> counter("dlq", "poison events sent to the DLQ", Tags.of("reason", r)))
        .increment();
  }

  public void written(String topic, int records) {
    written
        .computeIfAbsent(
            topic, t -> counter("records.written", "records written", Tags.of("topic", t)))
        .increment(records);
  }

  public void committed(long commitNanos, int events) {
    commit.record(commitNanos, TimeUnit.NANOSECONDS);
    txEvents.record(events);
  }

  public void commitStep(CommitStep step, long nanos) {
    commitSteps.get(step).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void stage(Stage stage, long nanos) {
    stages.get(stage).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  public void aborted() {
    counts.get(Count.ABORTED).increment();
  }

  public void restored(long nanos, long records) {
    restore.record(nanos, TimeUnit.NANOSECONDS);
    counts.get(Count.RESTORE_RECORDS).increment(records);
  }

  public void lag(int partition, long lag) {
    AtomicLong value = lagValues.get(partition);
    if (value == null) {
      AtomicLong fresh = new AtomicLong(lag);
      lagValues.put(partition, fresh);
      lagGauges.put(
          partition,
          Metrics.gauge(
              registry,
              PREFIX + "lag",
              "events of the partition not consumed yet",
              tags.and("partition", Integer.toString(partition)),
              fresh));
    } else {
      value.set(lag);
    }
  }

  /** Forgets the lag of a partition no longer assigned. */
  public void unassigned(int partition) {
    lagValues.remove(partition);
    Gauge gauge = lagGauges.remove(partition);
    if (gauge != null) {
      registry.remove(gauge);
    }
  }

  public void rebalance(String kind) {
    rebalances
        .computeIfAbsent(
            kind, k -> counter("rebalances", "rebalance callbacks", Tags.of("kind", k)))
        .increment();
  }

  public void fenced() {
    counts.get(Count.FENCINGS).increment();
  }

  public void retried() {
    counts.get(Count.RETRIES).increment();
  }

  public void holding(long instanceStates, int assignedPartitions, int restoringPartitions) {
    instances.set(instanceStates);
    assigned.set(assignedPartitions);
    restoring.set(restoringPartitions);
  }

  /** Counts of a counter family by tag value, for tests and logs: {@code ignored("duplicate")}. */
  public double count(String family, String tagValue) {
    Map<String, Counter> counters =
        switch (family) {
          case "ignored" -> ignored;
          case "dlq" -> dlq;
          case "written" -> written;
          case "rebalances" -> rebalances;
          default -> throw new IllegalArgumentException("no counter family " + family);
        };
    Counter counter = counters.get(tagValue);
    return counter == null ? 0 : counter.count();
  }

  public double foldedCount() {
    return counts.get(Count.FOLDED).count();
  }

  public double fencingCount() {
    return counts.get(Count.FENCINGS).count();
  }

  public double retryCount() {
    return counts.get(Count.RETRIES).count();
  }

  public long commits() {
    return commit.count();
  }

  public double abortCount() {
    return counts.get(Count.ABORTED).count();
  }

  public double hangingAbortedCount() {
    return counts.get(Count.HANGING_ABORTED).count();
  }
}
