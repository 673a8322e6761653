package dev.v2pledger.applier.flows;

import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ports' UFTs to clear, and clearing them. Entries of VNI v changed since the last flush make
 * every running port in VNI v a target, once, whatever the number of changes. A port that cannot be
 * cleared now is owed a clear: one not running (OPTE refuses ClearUft then; a port moving to Ready
 * loses its flows anyway), or one whose ClearUft failed; it is cleared at the first flush in which
 * it is running. A port whose VNI is unknown when its VNI might have changed is missed, and cleared
 * at the first flush that finds its VNI. A port that is gone is forgotten. The first flush after
 * start treats every VNI as changed (what the process before this one owed died with it): every
 * running port of a known VNI is cleared, others are owed or missed as above. Nothing here touches
 * the V2P table: a failure costs stale flows until a later flush, never a mapping.
 */
final class FlowInvalidation {
  private static final Logger LOG = LoggerFactory.getLogger(FlowInvalidation.class);

  private final Xde xde;
  private final PortVnis vnis;
  private final FlowMetrics metrics;
  private final Set<Vni> pending = new TreeSet<>();
  private final Set<String> owed = new TreeSet<>();
  private final Set<String> missed = new TreeSet<>();
  private boolean owedReady;
  private boolean clearFailing;

  /**
   * The first flush after start treats every VNI as changed: what the process before this one owed
   * (a change written and not yet flushed, a port owed or missed) died with it.
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

  /** Whether a flush has something to do: changed VNIs, or an owed port now running. */
  boolean hasWork() {
    return everyVni || !pending.isEmpty() || owedReady;
  }

  /** Ports as ListPorts gave them between flushes: notes an owed port that runs again. */
  void observe(List<PortInfo> ports) {
    if (owed.isEmpty()) {
      return;
    }
    for (PortInfo port : ports) {
      if (port.isRunning() && owed.contains(port.name())) {
        owedReady = true;
        return;
      }
    }
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
    Set<String> listed = new HashSet<>();
    List<String> targets = new ArrayList<>();
    int unknown = 0;
    for (PortInfo port : ports) {
      listed.add(port.name());
      Set<Vni> portVnis = vnis.of(port);
      if (portVnis.isEmpty()) {
        unknown += port.isRunning() ? 1 : 0;
        if (all || !changed.isEmpty()) {
          missed.add(port.name());
        }
      } else if (all
          || owed.contains(port.name())
          || missed.contains(port.name())
          || !Collections.disjoint(portVnis, changed)) {
        if (port.isRunning()) {
          targets.add(port.name());
        } else {
          owed.add(port.name());
        }
      }
    }
    owed.retainAll(listed);
    missed.retainAll(listed);
    vnis.retain(listed);
    metrics.unknownVni.set(unknown);
    int cleared = clear(targets);
    metrics.owed.set(owed.size());
    return cleared;
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
    missed.remove(name);
  }
}
