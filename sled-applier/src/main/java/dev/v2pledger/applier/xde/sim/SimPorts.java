package dev.v2pledger.applier.xde.sim;

import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The simulated device's ports: each belongs to a VNI, has a guest MAC and one private IP, a state
 * as OPTE names them, a name ({@code opte0}, {@code opte1}, ... in creation order), and a unified
 * flow table: one cached flow per destination VIP, keeping the V2P entry it was made with until the
 * table is cleared or the flow idles out. Not thread-safe: {@link SimulatedXde} holds its lock
 * around every call.
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
    final TreeMap<IpAddr, SimFlow> uft = new TreeMap<>();

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

  /** The running ports' own VIPs, by name. */
  Map<String, Vip> running() {
    Map<String, Vip> out = new TreeMap<>();
    byName.forEach(
        (name, port) -> {
          if (port.state.equals(PortInfo.RUNNING)) {
            out.put(name, new Vip(port.vni, port.ip));
          }
        });
    return out;
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
    if (state.equals("ready")) {
      port.uft.clear(); // OPTE: moving to Ready wipes the flow state
    }
    return port;
  }

  /**
   * A packet from port {@code name} to {@code remoteIp} in its VNI at {@code now}: the cached flow
   * if there is one, else a new flow caching {@code v2p}'s entry for the destination. Empty when
   * the packet is dropped: the port is not running, or there is no entry (OPTE denies, caches
   * nothing).
   */
  Optional<SimFlow> use(
      String name, IpAddr remoteIp, Instant now, Function<Vip, @Nullable XdeMapping> v2p) {
    Port port = byName.get(name);
    if (port == null) {
      throw new IllegalArgumentException("no port named '" + name + "'");
    }
    if (!port.state.equals(PortInfo.RUNNING)) {
      return Optional.empty();
    }
    SimFlow cached = port.uft.get(remoteIp);
    if (cached == null) {
      XdeMapping current = v2p.apply(new Vip(port.vni, remoteIp));
      if (current == null) {
        return Optional.empty();
      }
      cached = new SimFlow(port.name, current.vip(), current, now, now);
    }
    SimFlow used =
        new SimFlow(port.name, cached.remote(), cached.cached(), cached.firstUsed(), now);
    port.uft.put(remoteIp, used);
    return Optional.of(used);
  }

  /** Every cached flow, by port name then destination. */
  List<SimFlow> flows() {
    List<SimFlow> out = new ArrayList<>();
    byName.values().forEach(port -> out.addAll(port.uft.values()));
    return out;
  }

  /**
   * Drops the flows of running ports idle for {@code ttl} or more at {@code now} (OPTE's expiry
   * skips ports that are not running); returns how many.
   */
  int expire(Instant now, Duration ttl) {
    int expired = 0;
    for (Port port : byName.values()) {
      if (!port.state.equals(PortInfo.RUNNING)) {
        continue;
      }
      int before = port.uft.size();
      port.uft.values().removeIf(f -> Duration.between(f.lastUsed(), now).compareTo(ttl) >= 0);
      expired += before - port.uft.size();
    }
    return expired;
  }

  static XdeException commandError(String command, OpteError error) {
    return new XdeException(
        XdeException.Kind.COMMAND, command + ": " + error.describe(), -1, error, null);
  }
}
