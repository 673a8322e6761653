package dev.v2pledger.applier.xde.sim;

import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The simulated device's ports: each belongs to a VNI, has a guest MAC and one private IP, a state
 * as OPTE names them, and a name ({@code opte0}, {@code opte1}, ... in creation order). Not
 * thread-safe: {@link SimulatedXde} holds its lock around every call.
 */
final class SimPorts {
  /** OPTE's port states ({@code PortState}'s Display). */
  static final List<String> STATES = List.of("ready", PortInfo.RUNNING, "paused", "restored");

  private static final Comparator<Port> XDE_ORDER =
      Comparator.comparing((Port p) -> p.vni)
          .thenComparing(p -> p.mac.bits())
          .thenComparing(p -> p.name);

  private final Map<String, Port> byName = new TreeMap<>();
  private final Map<Vip, Port> byVip = new HashMap<>();
  private int created;

  /** One port. */
  static final class Port {
    final String name;
    final Vni vni;
    final IpAddr ip;
    final MacAddr mac;
    String state = PortInfo.RUNNING;

    Port(String name, Vni vni, IpAddr ip, MacAddr mac) {
      this.name = name;
      this.vni = vni;
      this.ip = ip;
      this.mac = mac;
    }

    PortInfo info() {
      return PortInfo.of(name, mac, ip, state);
    }
  }

  /** A new running port for {@code (vni, ip)}; one that had that VIP is gone. Returns it. */
  Port create(Vni vni, IpAddr ip, MacAddr mac) {
    destroy(new Vip(vni, ip));
    Port port = new Port("opte" + created++, vni, ip, mac);
    byName.put(port.name, port);
    byVip.put(new Vip(vni, ip), port);
    return port;
  }

  /** Removes the port of {@code vip}, if any; returns it. */
  @Nullable Port destroy(Vip vip) {
    Port port = byVip.remove(vip);
    if (port != null) {
      byName.remove(port.name);
    }
    return port;
  }

  @Nullable Port named(String name) {
    return byName.get(name);
  }

  Optional<String> nameOf(Vip vip) {
    return Optional.ofNullable(byVip.get(vip)).map(p -> p.name);
  }

  /** Every port, in XDE's order: by VNI, then MAC. */
  List<PortInfo> list() {
    List<Port> ports = new ArrayList<>(byName.values());
    ports.sort(XDE_ORDER);
    return ports.stream().map(Port::info).toList();
  }

  /** The port {@code name}, which must exist and be running, as XDE's ClearUft checks. */
  Port runningForCommand(String command, String name) {
    Port port = byName.get(name);
    if (port == null) {
      throw commandError(command, new OpteError.PortNotFound(name));
    }
    if (!port.state.equals(PortInfo.RUNNING)) {
      throw commandError(command, new OpteError.BadState(port.state));
    }
    return port;
  }

  /** Sets a port's state; throws {@link IllegalArgumentException} for an unknown port or state. */
  Port setState(String name, String state) {
    Port port = byName.get(name);
    if (port == null) {
      throw new IllegalArgumentException("no port named '" + name + "'");
    }
    if (!STATES.contains(state)) {
      throw new IllegalArgumentException(
          "port state '" + state + "' is not one of OPTE's " + STATES);
    }
    port.state = state;
    return port;
  }

  static XdeException commandError(String command, OpteError error) {
    return new XdeException(
        XdeException.Kind.COMMAND, command + ": " + error.describe(), -1, error, null);
  }
}
