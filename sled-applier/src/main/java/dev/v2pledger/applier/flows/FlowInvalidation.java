package dev.v2pledger.applier.flows;

import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ports' UFTs to clear, and clearing them. Entries of VNI v changed since the last flush make
 * every running port in VNI v a target, once, whatever the number of changes. A port that cannot be
 * cleared now is owed a clear: one not running (OPTE refuses ClearUft then; a port moving to Ready
 * loses its flows anyway), or one whose ClearUft failed; it is cleared at the first flush in which
 * it is running. A port that learns a VNI (its record read after it was listed) is a target when
 * that VNI changed at a flush since the port was first listed: it may have missed that change. A
 * port that is gone is forgotten. The first flush after start treats every VNI as changed (what the
 * process before this one owed died with it): every running port of a known VNI is cleared, others
 * are owed, or cleared once they learn a VNI. Nothing here touches the V2P table: a failure costs
 * stale flows until a later flush, never a mapping.
 */
final class FlowInvalidation {
  private static final Logger LOG = LoggerFactory.getLogger(FlowInvalidation.class);

  /** A port as the last flush listed it: its VNIs then, and the flush that first listed it. */
  private record Listed(Set<Vni> vnis, long since) {}

  private final Xde xde;
  private final PortVnis vnis;
  private final FlowMetrics metrics;
  private final Set<Vni> pending = new TreeSet<>();
  private final Set<String> owed = new TreeSet<>();
  private final Map<String, Listed> listedPorts = new HashMap<>();

  /** The last flush whose changes included each VNI: a port that learns it may have missed it. */
  private final Map<Vni, Long> changedAt = new HashMap<>();

  private long flushes;
  private long everyVniAt = -1;
  private long macsTakenAtFlush;
  private boolean owedReady;
  private boolean clearFailing;

  /**
   * The first flush after start treats every VNI as changed: what the process before this one owed
   * (a change written and not yet flushed, a port owed or that learns its VNI later) died with it.
   */
  private boolean everyVni = true;

  FlowInvalidation(Xde xde, PortVnis vnis, FlowMetrics metrics) {
    this.xde = xde;
    this.vnis = vnis;
    this.metrics = metrics;
  }

  /** Entries of {@code changed} were set or cleared. */
  void changed(Set<Vni> changed) {
    pending.addAll(changed);
  }

  /**
   * Whether a flush has something to do: changed VNIs, an owed port now running, or a record that
   * took a MAC, so that a listed port may have learned a VNI (even when nothing was written: the
   * port's creation may have installed its entry already).
   */
  boolean hasWork() {
    return everyVni
        || !pending.isEmpty()
        || owedReady
        || (!listedPorts.isEmpty() && vnis.macsTaken() != macsTakenAtFlush);
  }

  /**
   * Ports as ListPorts gave them between flushes: notes an owed port that runs again, forgets owed
   * ports gone, and sets the gauges to what the list shows (a sled with nothing to flush would
   * otherwise count a port gone for as long as nothing changes).
   */
  void observe(List<PortInfo> ports) {
    Set<String> names = new HashSet<>();
    int unknown = 0;
    for (PortInfo port : ports) {
      names.add(port.name());
      if (port.isRunning()) {
        owedReady |= owed.contains(port.name());
        unknown += vnis.of(port).isEmpty() ? 1 : 0;
      }
    }
    owed.retainAll(names);
    vnis.retain(names);
    metrics.owed.set(owed.size());
    metrics.unknownVni.set(unknown);
  }

  /**
   * Clears the UFT of every port that needs it, given the ports as ListPorts gave them just now.
   *
   * @return how many ports were cleared
   */
  int flush(List<PortInfo> ports) {
    Set<Vni> changed = Set.copyOf(pending);
    boolean all = everyVni;
    pending.clear();
    owedReady = false;
    everyVni = false;
    macsTakenAtFlush = vnis.macsTaken();
    long flush = ++flushes;
    if (all) {
      everyVniAt = flush;
    }
    changed.forEach(vni -> changedAt.put(vni, flush));
    Set<String> listed = new HashSet<>();
    List<String> targets = new ArrayList<>();
    int unknown = 0;
    for (PortInfo port : ports) {
      listed.add(port.name());
      Set<Vni> portVnis = vnis.of(port);
      Listed before = listedPorts.get(port.name());
      listedPorts.put(port.name(), new Listed(portVnis, before == null ? flush : before.since()));
      if (portVnis.isEmpty()) {
        unknown += port.isRunning() ? 1 : 0;
      }
      // an owed port is cleared whatever its VNI is now: one whose VNI is no longer known (another
      // port under its name, say) would otherwise stay owed, and ask for a flush at every poll
      if (owed.contains(port.name())
          || (!portVnis.isEmpty()
              && (all
                  || !Collections.disjoint(portVnis, changed)
                  || (before != null && learnedAChangedVni(portVnis, before))))) {
        if (port.isRunning()) {
          targets.add(port.name());
        } else {
          owed.add(port.name());
        }
      }
    }
    owed.retainAll(listed);
    listedPorts.keySet().retainAll(listed);
    vnis.retain(listed);
    metrics.unknownVni.set(unknown);
    int cleared = clear(targets);
    metrics.owed.set(owed.size());
    return cleared;
  }

  /**
   * Whether the port learned, since it was last listed, a VNI whose entries changed at a flush
   * since it was first listed (every VNI did at the first flush after start).
   */
  private boolean learnedAChangedVni(Set<Vni> now, Listed before) {
    for (Vni vni : now) {
      if (!before.vnis().contains(vni)
          && (everyVniAt >= before.since() || changedAt.getOrDefault(vni, -1L) >= before.since())) {
        return true;
      }
    }
    return false;
  }

  private int clear(List<String> targets) {
    if (targets.isEmpty()) {
      return 0;
    }
    metrics.invalidations.increment();
    int cleared = 0;
    int failed = 0;
    String firstFailure = null;
    for (int i = 0; i < targets.size(); i++) {
      String name = targets.get(i);
      metrics.clearCalls.increment();
      try {
        xde.clearUft(name);
        cleared++;
        metrics.portsCleared.increment();
        forget(name);
      } catch (XdeException e) {
        metrics.clearFailures.increment();
        if (e.opteError() instanceof OpteError.PortNotFound) {
          forget(name); // destroyed since ListPorts: no flows left to clear
          continue;
        }
        failed++;
        firstFailure = firstFailure == null ? e.getMessage() : firstFailure;
        owed.add(name);
        if (e.isDeviceWide()) {
          owed.addAll(targets.subList(i + 1, targets.size()));
          failed += targets.size() - i - 1;
          break;
        }
      }
    }
    if (failed > 0 && !clearFailing) {
      LOG.warn(
          "{} of {} UFT clear(s) failed, retried at later flushes (mappings are not affected;"
              + " logged again once clears work): {}",
          failed,
          targets.size(),
          firstFailure);
    } else if (failed > 0) {
      LOG.debug("{} of {} UFT clear(s) failed again: {}", failed, targets.size(), firstFailure);
    } else if (clearFailing) {
      LOG.info("UFT clears work again");
    }
    clearFailing = failed > 0;
    return cleared;
  }

  private void forget(String name) {
    owed.remove(name);
  }
}
