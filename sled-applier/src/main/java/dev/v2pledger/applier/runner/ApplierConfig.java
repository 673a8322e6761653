package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.flows.FlowSettings;
import dev.v2pledger.runtime.time.Durations;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vni;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How one applier runs.
 *
 * @param sledId the sled whose XDE this applier keeps (the key of its acks)
 * @param kafka Kafka client settings passed through ({@code bootstrap.servers}, TLS, SASL...)
 * @param excludedVnis VNIs never touched besides the services VNI 100, which is always excluded: no
 *     projector writes its entries, so an applier that managed it would clear every one (a slip
 *     such as {@code --exclude-vni 200}, meant as "200 too", must not do that)
 * @param reconcileInterval time between periodic full passes (default 5 s)
 * @param progressInterval time between progress lines while catching up (default 2 s)
 * @param clock stamps acks, poll times (against records' create times) and held records' since: the
 *     wall clock, which Kafka stamps with
 * @param flows flow invalidation and port polling ({@link FlowSettings#DEFAULT})
 * @param kafkaClientMetrics whether Kafka's own client metrics go to the applier's registry too
 *     (the daemon: yes; the one-machine stack, whose registry is not exported: no, the default)
 */
public record ApplierConfig(
    SledId sledId,
    Map<String, Object> kafka,
    Set<Vni> excludedVnis,
    Duration reconcileInterval,
    Duration progressInterval,
    Clock clock,
    FlowSettings flows,
    boolean kafkaClientMetrics) {

  public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(5);

  public ApplierConfig {
    Objects.requireNonNull(sledId, "sledId");
    kafka = Map.copyOf(kafka);
    excludedVnis = Vni.withServices(excludedVnis);
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(flows, "flows");
    checkInterval("reconcile interval", reconcileInterval);
    checkInterval("progress interval", progressInterval);
    if (!kafka.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException("Kafka settings need bootstrap.servers");
    }
  }

  /**
   * Positive, and at most what the command line takes ({@link Durations#LONGEST}): the loop adds
   * intervals to {@code nanoTime} in nanoseconds, which overflow past 292 years.
   */
  private static void checkInterval(String what, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + interval);
    }
    Durations.checkAtMostLongest(what, interval);
  }

  /**
   * Defaults: exclude VNI 100, reconcile every 5 s, progress every 2 s, the system clock, flows
   * invalidated and ports polled.
   */
  public static ApplierConfig of(SledId sledId, Map<String, Object> kafka) {
    return new ApplierConfig(
        sledId,
        kafka,
        Set.of(Vni.SERVICES),
        DEFAULT_RECONCILE_INTERVAL,
        Duration.ofSeconds(2),
        Clock.systemUTC(),
        FlowSettings.DEFAULT,
        false);
  }

  public ApplierConfig withExcludedVnis(Set<Vni> vnis) {
    return new ApplierConfig(
        sledId, kafka, vnis, reconcileInterval, progressInterval, clock, flows, kafkaClientMetrics);
  }

  public ApplierConfig withReconcileInterval(Duration interval) {
    return new ApplierConfig(
        sledId, kafka, excludedVnis, interval, progressInterval, clock, flows, kafkaClientMetrics);
  }

  public ApplierConfig withProgressInterval(Duration interval) {
    return new ApplierConfig(
        sledId, kafka, excludedVnis, reconcileInterval, interval, clock, flows, kafkaClientMetrics);
  }

  public ApplierConfig withClock(Clock newClock) {
    return new ApplierConfig(
        sledId,
        kafka,
        excludedVnis,
        reconcileInterval,
        progressInterval,
        newClock,
        flows,
        kafkaClientMetrics);
  }

  public ApplierConfig withFlows(FlowSettings settings) {
    return new ApplierConfig(
        sledId,
        kafka,
        excludedVnis,
        reconcileInterval,
        progressInterval,
        clock,
        settings,
        kafkaClientMetrics);
  }

  public ApplierConfig withKafkaClientMetrics(boolean bind) {
    return new ApplierConfig(
        sledId, kafka, excludedVnis, reconcileInterval, progressInterval, clock, flows, bind);
  }
}
