package dev.v2pledger.applier.flows;

import dev.v2pledger.applier.xde.PortInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Notices ports created and destroyed from successive {@code ListPorts} answers: the set of ports,
 * by name with their MAC and private addresses (XDE installs or removes a V2P entry when one comes
 * or goes); a port's state alone changes no entry. The first answer is the baseline.
 */
final class PortWatch {
  private @Nullable Map<String, PortInfo.Nic> last;

  /** Whether {@code ports} differs from the previous answer (never for the first). */
  boolean changed(List<PortInfo> ports) {
    Map<String, PortInfo.Nic> now = new TreeMap<>();
    for (PortInfo port : ports) {
      now.put(port.name(), port.nic());
    }
    boolean changed = last != null && !last.equals(now);
    last = now;
    return changed;
  }
}
