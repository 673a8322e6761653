package dev.v2pledger.devstack.sled;

import dev.v2pledger.applier.flows.FlowSettings;
import dev.v2pledger.applier.runner.ApplierConfig;
import dev.v2pledger.applier.runner.SledApplier;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.devstack.stack.CounterSum;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A sled in this JVM: a {@link SimulatedXde} and, for v2p-ledger, a {@link SledApplier} that talks
 * to the others only through Kafka. Without an applier (the rpw baseline) the device is written by
 * the re-push task alone.
 */
public final class LocalSled implements Sled {
  private final SledSpec spec;
  private final SimulatedXde device;
  private final @Nullable ApplierConfig config;
  private final MeterRegistry registry;
  private volatile @Nullable SledApplier applier;
  private int restarts;

  /**
   * How often a local applier lists its ports: 250 ms rather than the default 50 ms. Here the
   * workload plays the sled agents' reconcile triggers, so polling is only the backstop, and eight
   * appliers share this JVM's two cores: each wake-up costs about 0.6 ms of CPU (BENCHMARKS "Ports
   * noticed without a hook").
   */
  public static final Duration PORT_POLL = Duration.ofMillis(250);

  private LocalSled(
      SledSpec spec, Clock clock, @Nullable ApplierConfig config, MeterRegistry registry) {
    this.spec = spec;
    this.device = new SimulatedXde(spec.underlay(), clock);
    this.config = config;
    this.registry = registry;
  }

  /**
   * A sled with an applier reading {@code kafka}, started now. Its device stamps mutations with
   * {@code clock} (the run's, as the truth is); its applier stamps acks and poll times with the
   * wall clock, as on a real sled: Kafka stamps log times with it, and convergence is an ack's time
   * less its event's log time (on the run's clock, which drifts from the wall, it came out
   * negative).
   */
  public static LocalSled withApplier(
      SledSpec spec,
      Clock clock,
      Map<String, Object> kafka,
      Duration reconcileInterval,
      MeterRegistry registry) {
    ApplierConfig config =
        ApplierConfig.of(spec.id(), kafka)
            .withReconcileInterval(reconcileInterval)
            .withProgressInterval(Duration.ofSeconds(10))
            .withFlows(FlowSettings.DEFAULT.withPortPoll(PORT_POLL));
    LocalSled sled = new LocalSled(spec, clock, config, registry);
    sled.startApplier();
    return sled;
  }

  /** A sled with its device only (the rpw baseline writes it). */
  public static LocalSled deviceOnly(SledSpec spec, Clock clock, MeterRegistry registry) {
    return new LocalSled(spec, clock, null, registry);
  }

  @Override
  public SledSpec spec() {
    return spec;
  }

  public SimulatedXde device() {
    return device;
  }

  public @Nullable SledApplier applier() {
    return applier;
  }

  /** Stops the applier (the device keeps its table) and starts a new one, as a restart would. */
  public synchronized void restartApplier() {
    SledApplier running = applier;
    if (running != null) {
      running.close();
    }
    restarts++;
    startApplier();
  }

  public synchronized int restarts() {
    return restarts;
  }

  private void startApplier() {
    if (config != null) {
      applier = SledApplier.start(config, device, registry);
    }
  }

  @Override
  public void createPort(Vni vni, IpAddr ip, MacAddr mac) {
    device.createPort(vni, ip, mac);
  }

  @Override
  public void destroyPort(Vni vni, IpAddr ip) {
    device.destroyPort(vni, ip);
  }

  @Override
  public void requestReconcile() {
    SledApplier running = applier;
    if (running != null) {
      running.requestReconcile();
    }
  }

  @Override
  public Map<Vip, XdeMapping> table() {
    return device.table();
  }

  @Override
  public List<Mutation> mutations() {
    return device.mutations();
  }

  @Override
  public double driftRepairs() {
    return CounterSum.of(registry, "v2p.applier.drift.repaired", "sled", spec.id().toString());
  }

  @Override
  public @Nullable String readinessProblem() {
    SledApplier running = applier;
    return running == null ? null : running.readinessProblem();
  }

  @Override
  public void close() {
    SledApplier running = applier;
    if (running != null) {
      running.close();
    }
  }
}
