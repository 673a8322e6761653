package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.reconcile.DriftReason;
import dev.v2pledger.applier.reconcile.PassResult;
import dev.v2pledger.runtime.http.Metrics;
import dev.v2pledger.schema.domain.Version.Verdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The applier's meters, each tagged with its {@code sled} (several appliers may share a registry in
 * one JVM). Names are Micrometer's; Prometheus shows {@code v2p.applier.records.applied} as {@code
 * v2p_applier_records_applied_total}. The gauges read values the applier thread sets.
 */
public final class ApplierMetrics {
  /**
   * Where a record's time goes on this sled ({@code v2p.applier.latency{stage}}), after the
   * snapshot is read.
   */
  public enum Stage {
    /**
     * Sent by the projector (the record's create time) -> returned by a poll here: the commit of
     * its transaction and its markers (this reader is {@code read_committed}), and the fetch.
     */
    VISIBLE,
    /** Polled -> applied (its XDE call returned, or none was needed). */
    APPLIED,
    /** Polled -> the watermark covering it handed to the ack producer. */
    ACKED
  }

  final Tags tags;
  private final MeterRegistry registry;
  private final Counter applied;
  private final Map<Verdict, Counter> stale = new EnumMap<>(Verdict.class);
  private final Counter undecodable;
  private final Counter tombstonesIgnored;
  private final Counter conflicts;
  private final Counter deltaCalls;
  private final Counter deltaFailures;
  private final Counter clearsWithheld;
  private final Map<DriftReason, Counter> repaired = new EnumMap<>(DriftReason.class);
  private final Timer passesOk;
  private final Timer passesFailed;
  private final Counter acks;
  private final Timer applyLatency;
  private final Map<Stage, Timer> stages = new EnumMap<>(Stage.class);
  private final LongSupplier wallMillis;
  final AtomicLong snapshotTotal = new AtomicLong();
  final AtomicLong snapshotRead = new AtomicLong();
  final AtomicLong snapshotComplete = new AtomicLong();
  final AtomicLong ready = new AtomicLong();
  final AtomicLong lag = new AtomicLong();
  final AtomicLong desiredVips = new AtomicLong();
  final AtomicLong held = new AtomicLong();

  public ApplierMetrics(MeterRegistry registry, String sled) {
    this(registry, sled, System::currentTimeMillis);
  }

  /** Meters reading the wall clock from {@code wallMillis} (for the apply latency); for tests. */
  ApplierMetrics(MeterRegistry registry, String sled, LongSupplier wallMillis) {
    this.registry = registry;
    this.wallMillis = wallMillis;
    this.tags = Tags.of("sled", sled);
    applied =
        counter("v2p.applier.records.applied", "records that changed the desired table", tags);
    conflicts =
        counter(
            "v2p.applier.records.conflicting",
            "records with the held record's version but other content, which replaced it",
            tags);
    for (Verdict verdict : new Verdict[] {Verdict.OLDER, Verdict.DUPLICATE}) {
      stale.put(
          verdict,
          counter(
              "v2p.applier.records.stale",
              "records skipped as not newer than the desired table's",
              tags.and("verdict", verdict.name().toLowerCase(Locale.ROOT))));
    }
    undecodable =
        counter("v2p.applier.records.undecodable", "records that could not be decoded", tags);
    tombstonesIgnored =
        counter(
            "v2p.applier.tombstones.ignored",
            "tombstones whose key is not vni/ip/epoch, ignored (a tombstone never sets)",
            tags);
    deltaCalls = counter("v2p.applier.deltas", "records applied at once with one call", tags);
    deltaFailures =
        counter("v2p.applier.deltas.failed", "delta calls that failed (next pass repairs)", tags);
    clearsWithheld =
        counter(
            "v2p.applier.clears.withheld",
            "clears not issued while a record is held undecodable or a new partition is read",
            tags);
    for (DriftReason reason : DriftReason.values()) {
      repaired.put(
          reason,
          counter(
              "v2p.applier.drift.repaired",
              "entries a reconcile pass repaired",
              tags.and("reason", reason.tag())));
    }
    passesOk = passTimer("ok");
    passesFailed = passTimer("failed");
    acks = counter("v2p.applier.acks", "watermark acks sent to v2p.acks", tags);
    applyLatency =
        Metrics.latencyTimer(
            registry,
            "v2p.applier.apply.latency",
            "from a record's causing event in v2p.events (its log time) to its XDE call"
                + " succeeding on this sled; records applied at once after the snapshot",
            tags,
            Duration.ofMillis(1),
            Duration.ofSeconds(60));
    for (Stage stage : Stage.values()) {
      stages.put(
          stage,
          Metrics.latencyTimer(
              registry,
              "v2p.applier.latency",
              "per record, one stage of its way through the applier",
              tags.and("stage", stage.name().toLowerCase(Locale.ROOT)),
              Duration.ofNanos(100_000),
              Duration.ofSeconds(10)));
    }
    gauge(
        "v2p.applier.snapshot.size",
        "records (offset span) to read before the snapshot is complete",
        snapshotTotal);
    gauge("v2p.applier.snapshot.read", "snapshot records (offset span) read so far", snapshotRead);
    gauge("v2p.applier.snapshot.complete", "1 once the snapshot has been read", snapshotComplete);
    gauge("v2p.applier.ready", "1 while /readyz answers 200, else 0", ready);
    gauge("v2p.applier.lag.records", "records of v2p.mappings not read yet", lag);
    gauge("v2p.applier.desired.vips", "VIPs with a record in the desired table", desiredVips);
    gauge(
        "v2p.applier.held.records",
        "records of v2p.mappings held undecodable; no clear is issued while above 0",
        held);
  }

  private Counter counter(String name, String help, Tags with) {
    return Counter.builder(name).description(help).tags(with).register(registry);
  }

  private Timer passTimer(String outcome) {
    return Metrics.latencyTimer(
        registry,
        "v2p.applier.reconcile.passes",
        "full reconcile passes and their duration",
        tags.and("outcome", outcome));
  }

  private void gauge(String name, String help, AtomicLong value) {
    Metrics.gauge(registry, name, help, tags, value);
  }

  void recordWithheld(int clears) {
    clearsWithheld.increment(clears);
  }

  MeterRegistry registry() {
    return registry;
  }

  void recordVerdict(Verdict verdict) {
    if (verdict.replaces()) {
      applied.increment();
      if (verdict == Verdict.CONFLICT) {
        conflicts.increment();
      }
    } else {
      stale.get(verdict).increment();
    }
  }

  void recordUndecodable() {
    undecodable.increment();
  }

  void recordIgnoredTombstone() {
    tombstonesIgnored.increment();
  }

  void recordDelta(boolean ok) {
    deltaCalls.increment();
    if (!ok) {
      deltaFailures.increment();
    }
  }

  void recordPass(PassResult result) {
    (result.ok() ? passesOk : passesFailed).record(result.took());
    result.repaired().forEach((reason, count) -> repaired.get(reason).increment(count));
  }

  /**
   * A record whose event was logged at {@code causeEpochMillis} reached XDE now. The event's time
   * is the broker's clock: a negative difference (clock skew between hosts) counts as zero.
   */
  void recordApplied(long causeEpochMillis) {
    applyLatency.record(
        Math.max(0, wallMillis.getAsLong() - causeEpochMillis), TimeUnit.MILLISECONDS);
  }

  void stage(Stage stage, long nanos) {
    stages.get(stage).record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  void recordAck() {
    acks.increment();
  }
}
