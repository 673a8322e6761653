package dev.v2pledger.applier.flows;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * An {@link Xde} that remembers the VNI of every set and clear made through it, whoever made it (a
 * delta, a pass, a retirement), and whether it succeeded or not (see {@link #written}), until
 * {@link #drainChanged} hands them to the flow invalidation, and again when a dump shows a failed
 * write's entry made by someone else ({@link #dump}): a clear too many costs less than a flow left
 * stale. Used by the applier thread only.
 */
public final class TrackedXde implements Xde {
  private final Xde device;
  private final Set<Vni> changed = new TreeSet<>();

  /**
   * Writes that failed, by VIP, with the entry each was to make (empty for a clear), until a write
   * of that VIP succeeds or a dump shows the entry made by someone else (see {@link #dump}).
   */
  private final Map<Vip, Optional<XdeMapping>> failedWrites = new HashMap<>();

  private Runnable onDown = () -> {};
  private Runnable onBack = () -> {};
  private boolean down;

  public TrackedXde(Xde device) {
    this.device = device;
  }

  /**
   * Calls {@code down} (on the calling thread) when a call fails device-wide, whoever made it, and
   * the device was not already down; and {@code back} when a call succeeds again after that: the
   * device may then be a new one, with an empty table.
   */
  public void onDevice(Runnable down, Runnable back) {
    this.onDown = down;
    this.onBack = back;
  }

  private <T> T watched(Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (XdeException e) {
      if (e.isDeviceWide() && !down) {
        down = true;
        onDown.run();
      }
      throw e;
    }
    if (down) {
      down = false;
      onBack.run();
    }
    return result;
  }

  @Override
  public void set(XdeMapping mapping) {
    written(mapping.vip(), Optional.of(mapping), () -> device.set(mapping));
  }

  @Override
  public void clear(Vip vip) {
    written(vip, Optional.empty(), () -> device.clear(vip));
  }

  private void watched(Runnable call) {
    watched(
        () -> {
          call.run();
          return null;
        });
  }

  /**
   * A write marks its VNI whether or not it succeeded: one that failed may still have run (a
   * response that did not decode), and the entry it was to make may be made by someone else before
   * the pass that retries it looks (XDE's side effect of creating a port): that pass then writes
   * nothing, and the flows cached with the old entry would never be cleared.
   */
  private void written(Vip vip, Optional<XdeMapping> entry, Runnable write) {
    boolean done = false;
    try {
      watched(write);
      done = true;
    } finally {
      changed.add(vip.vni());
      if (done) {
        failedWrites.remove(vip);
      } else {
        failedWrites.put(vip, entry);
      }
    }
  }

  /** Whether a write was made, or tried, since the last {@link #drainChanged}. */
  boolean hasChanged() {
    return !changed.isEmpty();
  }

  /** The VNIs written since the last call, and forgets them. */
  Set<Vni> drainChanged() {
    if (changed.isEmpty()) {
      return Set.of();
    }
    Set<Vni> out = Set.copyOf(changed);
    changed.clear();
    return out;
  }

  /**
   * The device's table. A failed write's entry found made by someone else (XDE's side effect of
   * creating or destroying a port) marks its VNI again: flows may have cached the entry the failed
   * write left, after the flush its first mark asked for, and the pass that finds the entry right
   * writes nothing.
   */
  @Override
  public List<XdeMapping> dump() {
    List<XdeMapping> table = watched(device::dump);
    if (!failedWrites.isEmpty()) {
      Map<Vip, XdeMapping> byVip = new HashMap<>();
      table.forEach(entry -> byVip.put(entry.vip(), entry));
      failedWrites
          .entrySet()
          .removeIf(
              failed -> {
                boolean made =
                    failed.getValue().equals(Optional.ofNullable(byVip.get(failed.getKey())));
                if (made) {
                  changed.add(failed.getKey().vni());
                }
                return made;
              });
    }
    return table;
  }

  @Override
  public List<PortInfo> listPorts() {
    return watched(device::listPorts);
  }

  @Override
  public void clearUft(String portName) {
    watched(() -> device.clearUft(portName));
  }

  /** The applier does not own the device. */
  @Override
  public void close() {}
}
