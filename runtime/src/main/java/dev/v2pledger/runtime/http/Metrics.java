package dev.v2pledger.runtime.http;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The metrics registry of a process: Prometheus, tagged with the component and instance. */
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
}
