package dev.v2pledger.applier.reconcile;

import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One device call a pass decided on: set {@code vip} to {@code target}, or clear it.
 *
 * @param target the entry to set; null for a clear
 * @param reason the drift a pass repairs with it; null for a delta (a new record applied at once)
 */
public record Action(Vip vip, @Nullable XdeMapping target, @Nullable DriftReason reason) {
  public Action {
    Objects.requireNonNull(vip, "vip");
    if (target != null && !target.vip().equals(vip)) {
      throw new IllegalArgumentException("action on " + vip + " sets " + target.vip());
    }
  }

  public static Action set(XdeMapping target, @Nullable DriftReason reason) {
    return new Action(target.vip(), target, reason);
  }

  public static Action clear(Vip vip, @Nullable DriftReason reason) {
    return new Action(vip, null, reason);
  }

  public boolean isSet() {
    return target != null;
  }

  /** Makes the call. */
  public void applyTo(Xde xde) {
    if (target != null) {
      xde.set(target);
    } else {
      xde.clear(vip);
    }
  }

  @Override
  public String toString() {
    String call = target != null ? "set " + target : "clear " + vip;
    return reason == null ? call : call + " (" + reason.tag() + ")";
  }
}
