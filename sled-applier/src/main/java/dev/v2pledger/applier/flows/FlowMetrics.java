package dev.v2pledger.applier.flows;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The port work's meters. The ioctls themselves are also timed by {@code v2p.applier.xde.calls}
 * ({@code op=list_ports}, {@code op=clear_uft}).
 */
public final class FlowMetrics {
  final Counter clearCalls;
  final Counter portsCleared;
  final Counter clearFailures;
  final Counter invalidations;
  final Counter polls;
  final Counter pollFailures;
  final Counter portChanges;
  final AtomicLong ports = new AtomicLong();
  final AtomicLong unknownVni = new AtomicLong();
  final AtomicLong owed = new AtomicLong();

  public FlowMetrics(MeterRegistry registry, Tags tags) {
    clearCalls =
        counter(
            registry, tags, "v2p.applier.uft.clear.calls", "ClearUft calls made, failed ones too");
    portsCleared =
        counter(registry, tags, "v2p.applier.uft.ports.cleared", "ports whose UFT was cleared");
    clearFailures =
        counter(
            registry,
            tags,
            "v2p.applier.uft.clear.failures",
            "ClearUft calls that failed (the port is cleared at a later flush)");
    invalidations =
        counter(
            registry,
            tags,
            "v2p.applier.uft.invalidations",
            "flushes with at least one port to clear (its calls may have failed)");
    polls = counter(registry, tags, "v2p.applier.ports.polls", "ListPorts polls, failed ones too");
    pollFailures =
        counter(
            registry,
            tags,
            "v2p.applier.ports.poll.failures",
            "ListPorts calls that failed, of polls and of flushes");
    portChanges =
        counter(
            registry,
            tags,
            "v2p.applier.ports.changes",
            "port sets found changed (each asks for a pass)");
    gauge(registry, tags, "v2p.applier.ports", "XDE ports at the last ListPorts", ports);
    gauge(
        registry,
        tags,
        "v2p.applier.ports.vni.unknown",
        "running ports whose VNI the desired table does not tell (their UFTs are not cleared)",
        unknownVni);
    gauge(
        registry,
        tags,
        "v2p.applier.uft.owed",
        "ports owed a ClearUft that could not be made yet (not running, or the call failed)",
        owed);
  }

  private static Counter counter(MeterRegistry registry, Tags tags, String name, String help) {
    return Counter.builder(name).description(help).tags(tags).register(registry);
  }

  private static void gauge(
      MeterRegistry registry, Tags tags, String name, String help, AtomicLong value) {
    Gauge.builder(name, value, AtomicLong::get).description(help).tags(tags).register(registry);
  }
}
