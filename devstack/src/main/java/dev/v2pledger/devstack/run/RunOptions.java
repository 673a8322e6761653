package dev.v2pledger.devstack.run;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a run goes; {@code devstack run}'s options.
 *
 * @param external client settings of an external cluster, or null for an embedded broker
 * @param sledEndpoints remote sleds (applier admin URLs); empty for {@code sleds} local ones
 * @param reorderRate share of events their publisher holds back (cross-publisher races)
 * @param lateRate share of events their publisher sends again much later
 * @param rate events per second the workload publishes at; 0 for as fast as it can
 * @param warmupEvents events of a warm-up workload played (and converged) before the measured one,
 *     so the JIT has compiled the hot paths; 0 for none
 * @param progress where progress lines go (null: nowhere)
 */
public record RunOptions(
    long seed,
    int sleds,
    int projectors,
    int partitions,
    int instances,
    int migrations,
    double failureRate,
    double reorderRate,
    double lateRate,
    double rate,
    int concurrency,
    int warmupEvents,
    @Nullable Map<String, Object> external,
    List<URI> sledEndpoints,
    Duration reconcileInterval,
    Duration maxTxAge,
    Duration retireAfter,
    Duration convergeTimeout,
    Duration rpwPeriod,
    Duration rpwCallLatency,
    boolean hopProbe,
    boolean appliersReadUncommitted,
    Duration progressInterval,
    @Nullable PrintStream progress) {

  public RunOptions {
    external = external == null ? null : Map.copyOf(external);
    sledEndpoints = List.copyOf(sledEndpoints);
    if (sledEndpoints.isEmpty() && sleds < 1) {
      throw new IllegalArgumentException("--sleds must be at least 1, got " + sleds);
    }
    if (projectors < 0) {
      throw new IllegalArgumentException("--projectors must not be negative, got " + projectors);
    }
    if (warmupEvents < 0) {
      throw new IllegalArgumentException("--warmup must not be negative, got " + warmupEvents);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
    }
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(
          "--rate must be 0 (as fast as possible) or positive, got " + rate);
    }
    positive(reconcileInterval, "--reconcile-interval");
    positive(convergeTimeout, "--converge-timeout");
    positive(rpwPeriod, "--rpw-period");
    positive(progressInterval, "--progress-interval");
    if (retireAfter.isNegative()) {
      throw new IllegalArgumentException(
          "--retire-after must not be negative (0s keeps everything), got " + retireAfter);
    }
    if (maxTxAge.isNegative()) {
      throw new IllegalArgumentException("--max-tx-age must not be negative, got " + maxTxAge);
    }
    if (rpwCallLatency.isNegative()) {
      throw new IllegalArgumentException(
          "--rpw-call-latency must not be negative, got " + rpwCallLatency);
    }
  }

  private static void positive(Duration value, String option) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(option + " must be positive, got " + value);
    }
  }

  public boolean remoteSleds() {
    return !sledEndpoints.isEmpty();
  }

  public int sledCount() {
    return remoteSleds() ? sledEndpoints.size() : sleds;
  }

  /** The command's defaults: 8 local sleds, 1 projector, an embedded broker. */
  public static Builder builder(long seed) {
    return new Builder(seed);
  }

  /** Options with {@code devstack run}'s defaults, changed one by one. */
  public static final class Builder {
    private final long seed;
    private int sleds = 8;
    private int projectors = 1;
    private int partitions = 6;
    private int instances = 64;
    private int migrations = 1500;
    private double failureRate = 0.2;
    private double reorderRate =
        dev.v2pledger.devstack.workload.WorkloadConfig.DEFAULT_REORDER_RATE;
    private double lateRate = dev.v2pledger.devstack.workload.WorkloadConfig.DEFAULT_LATE_RATE;
    private double rate = 1000;
    private int concurrency = 32;
    private int warmupEvents = 3000;
    private @Nullable Map<String, Object> external;
    private List<URI> sledEndpoints = List.of();
    private Duration reconcileInterval = Duration.ofSeconds(5);
    private Duration maxTxAge = Duration.ofMillis(5);
    private Duration retireAfter = Duration.ofDays(7);
    private Duration convergeTimeout = Duration.ofSeconds(60);
    private Duration rpwPeriod = Duration.ofSeconds(30);
    private Duration rpwCallLatency = Duration.ofMillis(1);
    private boolean hopProbe = true;
    private boolean appliersReadUncommitted;
    private Duration progressInterval = Duration.ofSeconds(2);
    private @Nullable PrintStream progress;

    private Builder(long seed) {
      this.seed = seed;
    }

    public Builder sleds(int value) {
      sleds = value;
      return this;
    }

    public Builder projectors(int value) {
      projectors = value;
      return this;
    }

    public Builder partitions(int value) {
      partitions = value;
      return this;
    }

    public Builder workload(int newInstances, int newMigrations, double newFailureRate) {
      instances = newInstances;
      migrations = newMigrations;
      failureRate = newFailureRate;
      return this;
    }

    /** How often publishers hold an event back, and send one again much later. */
    public Builder races(double newReorderRate, double newLateRate) {
      reorderRate = newReorderRate;
      lateRate = newLateRate;
      return this;
    }

    public Builder rate(double value) {
      rate = value;
      return this;
    }

    public Builder concurrency(int value) {
      concurrency = value;
      return this;
    }

    public Builder warmup(int events) {
      warmupEvents = events;
      return this;
    }

    public Builder external(@Nullable Map<String, Object> value) {
      external = value;
      return this;
    }

    public Builder sledEndpoints(List<URI> value) {
      sledEndpoints = value;
      return this;
    }

    public Builder reconcileInterval(Duration value) {
      reconcileInterval = value;
      return this;
    }

    public Builder maxTxAge(Duration value) {
      maxTxAge = value;
      return this;
    }

    public Builder retireAfter(Duration value) {
      retireAfter = value;
      return this;
    }

    public Builder convergeTimeout(Duration value) {
      convergeTimeout = value;
      return this;
    }

    public Builder rpw(Duration period, Duration callLatency) {
      rpwPeriod = period;
      rpwCallLatency = callLatency;
      return this;
    }

    public Builder hopProbe(boolean value) {
      hopProbe = value;
      return this;
    }

    /** Local appliers read {@code v2p.mappings} read_uncommitted instead of read_committed. */
    public Builder appliersReadUncommitted(boolean value) {
      appliersReadUncommitted = value;
      return this;
    }

    public Builder progress(@Nullable PrintStream out, Duration interval) {
      progress = out;
      progressInterval = interval;
      return this;
    }

    public RunOptions build() {
      return new RunOptions(
          seed,
          sleds,
          projectors,
          partitions,
          instances,
          migrations,
          failureRate,
          reorderRate,
          lateRate,
          rate,
          concurrency,
          warmupEvents,
          external,
          sledEndpoints,
          reconcileInterval,
          maxTxAge,
          retireAfter,
          convergeTimeout,
          rpwPeriod,
          rpwCallLatency,
          hopProbe,
          appliersReadUncommitted,
          progressInterval,
          progress);
    }
  }
}
