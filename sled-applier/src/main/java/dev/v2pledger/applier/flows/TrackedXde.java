package dev.v2pledger.applier.flows;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An {@link Xde} that remembers the VNI of every set and clear made through it, whoever made it (a
 * delta, a pass, a retirement), and whether it succeeded or not (see {@link #written}), until
 * {@link #drainChanged} hands them to the flow invalidation: a clear too many costs less than a
 * flow left stale. Used by the applier thread only.
 */
public final class TrackedXde implements Xde {
  private final Xde device;
  private final Set<Vni> changed = new TreeSet<>();
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

  private <T> T watched(java.util.function.Supplier<T> call) {
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
    written(mapping.vip().vni(), () -> device.set(mapping));
  }

  @Override
  public void clear(Vip vip) {
    written(vip.vni(), () -> device.clear(vip));
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
  private void written(Vni vni, Runnable write) {
    try {
      watched(write);
    } finally {
      changed.add(vni);
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

  @Override
  public List<XdeMapping> dump() {
    return watched(device::dump);
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
