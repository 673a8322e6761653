package dev.v2pledger.devstack.run;

import dev.v2pledger.devstack.workload.WorkloadShape;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.jspecify.annotations.Nullable;

/**
 * How a run goes; {@code devstack run}'s options, grouped by what they set.
 *
 * @param seed the workload's seed; the traffic's too
 * @param stack what the run starts or drives
 * @param workload the workload played (its seed is {@code seed}, its sleds the stack's)
 * @param pace how fast the workload is played, and how long the sleds may take to converge
 * @param local settings of the projectors and appliers the run starts itself
 * @param rpw the re-push baseline's settings
 * @param hopProbe measure one plain and one transactional Kafka hop during the run
 * @param progress where progress lines go (null: nowhere)
 */
public record RunOptions(
    long seed,
    Stack stack,
    WorkloadShape workload,
    Pace pace,
    Local local,
    Rpw rpw,
    boolean hopProbe,
    @Nullable PrintStream progress) {

  /**
   * What a run starts or drives.
   *
   * @param sleds local simulated sleds; ignored when {@code sledEndpoints} names remote ones
   * @param sledEndpoints remote sleds (applier admin URLs); empty for {@code sleds} local ones
   * @param projectors projector runners started in this JVM, at most {@link #MAX_PROJECTORS}
   * @param partitions partitions of new topics
   * @param external client settings of an external cluster, or null for an embedded broker
   */
  public record Stack(
      int sleds,
      List<URI> sledEndpoints,
      int projectors,
      int partitions,
      @Nullable Map<String, Object> external) {

    /**
     * The most local sleds a run starts. Each is a simulated device and an applier with its own
     * Kafka consumer and producer, their threads and sockets, in this JVM: measured, about 18 file
     * descriptors per sled with the embedded broker (it holds the other end of every connection),
     * so 1,000 sleds need some 18,000, within the limit the JVM raises itself to on common Linux
     * hosts, and past what two cores can run anyway. (The sleds' underlay addresses, {@code
     * fd00:1122:3344:<100+n>::1}, would end at 65,279.) Remote sleds are not bounded here: they
     * cost this JVM an HTTP client each, not Kafka clients.
     */
    public static final int MAX_SLEDS = 1000;

    /**
     * The most projector runners a run starts: each is a consumer, two transactional producers and
     * an admin client in this JVM. More than {@code partitions} is allowed: the ones the group
     * assigns nothing stand by and take over when a runner stops, which fault runs exercise.
     */
    public static final int MAX_PROJECTORS = 100;

    /**
     * The most partitions of a new topic: a run makes five topics of this many partitions (the
     * schema topic has one), each partition some open files and memory-mapped indexes in the
     * embedded broker, and a projector's restore and an applier's snapshot read all of them. 500
     * makes some 2,500 partitions, far past what a run on one machine gains from.
     */
    public static final int MAX_PARTITIONS = 500;

    public Stack {
      external = external == null ? null : Map.copyOf(external);
      sledEndpoints = List.copyOf(sledEndpoints);
      if (sledEndpoints.isEmpty() && sleds < 1) {
        throw new IllegalArgumentException("--sleds must be at least 1, got " + sleds);
      }
      if (sledEndpoints.isEmpty() && sleds > MAX_SLEDS) {
        throw new IllegalArgumentException(
            "--sleds must be at most "
                + MAX_SLEDS
                + " (each local sled is an applier with its own Kafka clients in this JVM), got "
                + sleds);
      }
      if (projectors < 0) {
        throw new IllegalArgumentException("--projectors must not be negative, got " + projectors);
      }
      if (partitions < 1) {
        throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
      }
      if (partitions > MAX_PARTITIONS) {
        throw new IllegalArgumentException(
            "--partitions must be at most "
                + MAX_PARTITIONS
                + " (each new topic gets that many, each partition open files in the broker),"
                + " got "
                + partitions);
      }
      if (projectors > MAX_PROJECTORS) {
        throw new IllegalArgumentException(
            "--projectors must be at most "
                + MAX_PROJECTORS
                + " (each is a consumer, two transactional producers and an admin client in this"
                + " JVM), got "
                + projectors);
      }
    }

    public boolean remoteSleds() {
      return !sledEndpoints.isEmpty();
    }

    public int sledCount() {
      return remoteSleds() ? sledEndpoints.size() : sleds;
    }
  }

  /**
   * How a run plays its workload.
   *
   * @param rate events per second the workload publishes at, at least {@link #MIN_RATE}; 0 for as
   *     fast as it can
   * @param warmupEvents events of a warm-up workload played (and converged) before the measured
   *     one, so the JIT has compiled the hot paths; 0 for none
   * @param convergeTimeout how long every sled may take to converge after the workload
   */
  public record Pace(double rate, int warmupEvents, Duration convergeTimeout) {
    /**
     * The slowest pace a run plays at. Below it a run is hours long for nothing (the default
     * workload and warm-up are some 22,000 events), and a rate such as {@code 1e-300} paced the
     * second event beyond the nanosecond clock's range: the run published one event and then slept
     * for centuries, printing "0 events/s".
     */
    public static final double MIN_RATE = 1;

    public Pace {
      if (warmupEvents < 0) {
        throw new IllegalArgumentException("--warmup must not be negative, got " + warmupEvents);
      }
      if (!(rate == 0 || rate >= MIN_RATE) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException(
            "--rate must be 0 (as fast as possible) or at least "
                + (int) MIN_RATE
                + " event/s, got "
                + rate);
      }
      positive(convergeTimeout, "--converge-timeout");
    }
  }

  /**
   * Settings of the projectors and appliers a run starts itself.
   *
   * @param reconcileInterval the appliers' periodic passes
   * @param maxTxAge the projectors' transaction time box
   * @param retireAfter the projectors remove released keys and deleted instances' states this long
   *     after (0: never)
   * @param appliersReadUncommitted the appliers read {@code v2p.mappings} read_uncommitted instead
   *     of read_committed
   */
  public record Local(
      Duration reconcileInterval,
      Duration maxTxAge,
      Duration retireAfter,
      boolean appliersReadUncommitted) {
    public Local {
      positive(reconcileInterval, "--reconcile-interval");
      notNegative(maxTxAge, "--max-tx-age", "");
      notNegative(retireAfter, "--retire-after", " (0s keeps everything)");
    }

    /** The appliers' Kafka settings: the cluster's, and the isolation level asked for. */
    Map<String, Object> applierKafka(Map<String, Object> cluster) {
      if (!appliersReadUncommitted) {
        return cluster;
      }
      Map<String, Object> settings = new HashMap<>(cluster);
      settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
      return settings;
    }
  }

  /**
   * The emulation of Omicron's periodic re-push.
   *
   * @param period the re-push task's period
   * @param callLatency the cost of each re-push call to a sled
   */
  public record Rpw(Duration period, Duration callLatency) {
    public Rpw {
      positive(period, "--rpw-period");
      notNegative(callLatency, "--rpw-call-latency", "");
    }
  }

  private static void positive(Duration value, String option) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(option + " must be positive, got " + value);
    }
  }

  private static void notNegative(Duration value, String option, String note) {
    if (value.isNegative()) {
      throw new IllegalArgumentException(
          option + " must not be negative" + note + ", got " + value);
    }
  }
}
