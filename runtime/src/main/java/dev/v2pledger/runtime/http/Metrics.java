package dev.v2pledger.runtime.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics registry of a process (Prometheus, tagged with the component and instance) and the
 * latency timers and gauges the components register in it.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * A registry whose every meter carries {@code component} (projector, sled-applier, ...) and
   * {@code instance} (e.g. the sled id), with JVM and process meters bound.
   */
  public static PrometheusMeterRegistry newRegistry(String component, String instance) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("component", component, "instance", instance);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /** Like {@link #newRegistry} plus GC meters, for a process that owns its JVM. */
  public static PrometheusMeterRegistry newProcessRegistry(String component, String instance) {
    PrometheusMeterRegistry registry = newRegistry(component, instance);
    @SuppressWarnings("resource") // lives as long as the process
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return registry;
  }

  /**
   * A latency timer publishing a percentile histogram whose buckets span {@code min} to {@code
   * max}, registered in {@code registry}.
   */
  public static Timer latencyTimer(
      MeterRegistry registry, String name, String help, Tags tags, Duration min, Duration max) {
    return histogram(name, help, tags)
        .minimumExpectedValue(min)
        .maximumExpectedValue(max)
        .register(registry);
  }

  /** A latency timer publishing a percentile histogram with Micrometer's default span. */
  public static Timer latencyTimer(MeterRegistry registry, String name, String help, Tags tags) {
    return histogram(name, help, tags).register(registry);
  }

  private static Timer.Builder histogram(String name, String help, Tags tags) {
    return Timer.builder(name).description(help).tags(tags).publishPercentileHistogram();
  }

  /** A gauge reading {@code value}, registered in {@code registry}. */
  public static Gauge gauge(
      MeterRegistry registry, String name, String help, Tags tags, AtomicLong value) {
    return Gauge.builder(name, value, AtomicLong::get)
        .description(help)
        .tags(tags)
        .register(registry);
  }
}
