package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.runtime.http.Metrics;
import dev.v2pledger.schema.domain.Vip;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** An {@link Xde} that times every call ({@code v2p.applier.xde.calls}) and counts its errors. */
final class MeteredXde implements Xde {
  private final Xde device;
  private final MeterRegistry registry;
  private final Tags tags;
  private final Timer set;
  private final Timer clear;
  private final Timer dump;

  MeteredXde(Xde device, MeterRegistry registry, Tags tags) {
    this.device = device;
    this.registry = registry;
    this.tags = tags;
    this.set = timer("set");
    this.clear = timer("clear");
    this.dump = timer("dump");
  }

  private Timer timer(String op) {
    return Metrics.latencyTimer(
        registry,
        "v2p.applier.xde.calls",
        "XDE calls and their latency, failed ones included",
        tags.and("op", op));
  }

  @Override
  public void set(XdeMapping mapping) {
    call(
        set,
        "set",
        () -> {
          device.set(mapping);
          return null;
        });
  }

  @Override
  public void clear(Vip vip) {
    call(
        clear,
        "clear",
        () -> {
          device.clear(vip);
          return null;
        });
  }

  @Override
  public List<XdeMapping> dump() {
    return call(dump, "dump", device::dump);
  }

  /** Registered on first use: most appliers never list ports. */
  @Override
  public List<PortInfo> listPorts() {
    return call(timer("list_ports"), "list_ports", device::listPorts);
  }

  /** Registered on first use. */
  @Override
  public void clearUft(String portName) {
    call(
        timer("clear_uft"),
        "clear_uft",
        () -> {
          device.clearUft(portName);
          return null;
        });
  }

  private <T> T call(Timer timer, String op, Supplier<T> body) {
    long start = System.nanoTime();
    try {
      return body.get();
    } catch (XdeException e) {
      Counter.builder("v2p.applier.xde.errors")
          .description("XDE calls that failed, by kind")
          .tags(tags.and("op", op, "kind", e.kind().name().toLowerCase(Locale.ROOT)))
          .register(registry)
          .increment();
      throw e;
    } finally {
      timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** The applier does not own the device: closing is its creator's job. */
  @Override
  public void close() {}
}
