package dev.v2pledger.applier.xde.sim;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A simulated XDE on one sled. The V2P table behaves like OPTE's {@code VpcMappings}: {@link #set}
 * upserts by (VNI, VIP); {@link #clear} removes by (VNI, VIP) whatever the entry points to; a VNI
 * once used stays in the dump, possibly empty. Port lifecycle has XDE's side effects: {@link
 * #createPort} installs "VIP -> this sled", {@link #destroyPort} removes the (VNI, VIP) entry.
 *
 * <p>Ports have cached flows, as OPTE's unified flow table (UFT) does: {@link #useFlow} caches the
 * V2P entry in force when a port first sends to a VIP and keeps using it until {@link #clearUft} or
 * {@link #expireIdleFlows} drops it, so a moved V2P entry leaves {@linkplain #staleFlows() stale
 * flows} behind (opte#221). {@link #listPorts} and {@link #clearUft} answer as XDE does ({@code
 * PortNotFound}, {@code BadState} for a port that is not running).
 *
 * <p>Faults: {@link #failNextCalls} makes the next N interface calls throw; {@link #setLatency}
 * delays each one. Every write is appended to a {@linkplain #mutations() mutation log} stamped with
 * the injected clock. Thread-safe. {@link #close} keeps the table, as a kernel driver would when
 * the applier process exits.
 */
public final class SimulatedXde implements Xde {
  /** OPTE's default idle timeout of a flow ({@code FLOW_DEF_EXPIRE_SECS} in flow_table.rs). */
  public static final Duration FLOW_TTL = Duration.ofSeconds(60);

  private final Ipv6Addr sledUnderlay;
  private final Clock clock;
  private final Object lock = new Object();
  private final TreeMap<Vni, TreeMap<IpAddr, XdeMapping>> table = new TreeMap<>();
  private final List<Mutation> log = new ArrayList<>();
  private final List<Consumer<Mutation>> listeners = new CopyOnWriteArrayList<>();
  private final SimPorts ports = new SimPorts();
  private int size;
  private int failuresLeft;
  private int writeFailuresLeft;
  private long latencyNanos;
  private long calls;
  private long sequence;
  private boolean keepLog = true;

  /**
   * @param sledUnderlay this sled's underlay address, which port creation installs
   * @param clock stamps the mutation log
   */
  public SimulatedXde(Ipv6Addr sledUnderlay, Clock clock) {
    this.sledUnderlay = Objects.requireNonNull(sledUnderlay, "sledUnderlay");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Ipv6Addr sledUnderlay() {
    return sledUnderlay;
  }

  @Override
  public void set(XdeMapping mapping) {
    beginCall("SetVirt2Phys", mapping.vip(), true);
    write(Mutation.Op.SET, mapping.vip(), mapping);
  }

  @Override
  public void clear(Vip vip) {
    beginCall("ClearVirt2Phys", vip, true);
    write(Mutation.Op.CLEAR, vip, null);
  }

  @Override
  public List<XdeMapping> dump() {
    beginCall("DumpVirt2Phys", null, false);
    synchronized (lock) {
      List<XdeMapping> out = new ArrayList<>(size);
      table.values().forEach(group -> out.addAll(group.values()));
      return out;
    }
  }

  @Override
  public List<PortInfo> listPorts() {
    beginCall("ListPorts", null, false);
    synchronized (lock) {
      return ports.list();
    }
  }

  @Override
  public void clearUft(String portName) {
    beginCall("ClearUft", portName, true);
    synchronized (lock) {
      ports.runningForCommand("ClearUft", portName).uft.clear();
    }
  }

  /**
   * XDE creating a port for {@code (vni, ip)} with guest MAC {@code mac}: "VIP -> this sled", and a
   * running port (one that had this VIP is replaced).
   *
   * @return the new port's name ({@code opte0}, {@code opte1}, ... in creation order)
   */
  public String createPort(Vni vni, IpAddr ip, MacAddr mac) {
    Vip vip = new Vip(vni, ip);
    String name;
    Mutation mutation;
    synchronized (lock) { // one step, as for XDE: nobody sees the port without its entry
      name = ports.create(vni, ip, mac).name;
      mutation = record(Mutation.Op.PORT_CREATE, vip, new XdeMapping(vip, mac, sledUnderlay));
    }
    notifyListeners(mutation);
    return name;
  }

  /** XDE destroying the port of {@code (vni, ip)}: the entry is removed, whoever set it. */
  public void destroyPort(Vni vni, IpAddr ip) {
    Mutation mutation;
    synchronized (lock) {
      ports.destroy(new Vip(vni, ip));
      mutation = record(Mutation.Op.PORT_DESTROY, new Vip(vni, ip), null);
    }
    notifyListeners(mutation);
  }

  /**
   * The running ports by name, each with its own VIP (which XDE's {@code PortInfo} does not give
   * whole: it has no VNI). Not a call through the interface: for a workload driving traffic.
   */
  public Map<String, Vip> runningPorts() {
    synchronized (lock) {
      return ports.running();
    }
  }

  /** The name of the port of {@code local}, if it has one. */
  public Optional<String> portName(Vip local) {
    synchronized (lock) {
      return ports.nameOf(local);
    }
  }

  /**
   * Moves port {@code name} to {@code state} ({@code ready}, {@code running}, {@code paused} or
   * {@code restored}, OPTE's states): only a running port accepts ClearUft.
   *
   * @throws IllegalArgumentException for an unknown port or state
   */
  public void setPortState(String name, String state) {
    synchronized (lock) {
      ports.setState(name, state);
    }
  }

  /**
   * The guest behind port {@code portName} sends a packet to {@code remoteIp} in the port's VNI.
   * The port's cached flow to that VIP is used if there is one, with the encapsulation it was made
   * with, whatever the V2P table says now (opte#221); otherwise the V2P entry in force is cached.
   *
   * @return the underlay address the packet goes to; empty if it is dropped (the port is not
   *     running, or the VIP has no V2P entry: nothing is cached then)
   * @throws IllegalArgumentException for an unknown port
   */
  public Optional<Ipv6Addr> useFlow(String portName, IpAddr remoteIp) {
    synchronized (lock) {
      return ports.use(portName, remoteIp, clock.instant(), this::get).map(SimFlow::underlay);
    }
  }

  /** Every cached flow, by port name then destination. */
  public List<SimFlow> flows() {
    synchronized (lock) {
      return ports.flows();
    }
  }

  /** The cached flows that send elsewhere than the V2P entry now in force (or that was cleared). */
  public List<SimFlow> staleFlows() {
    synchronized (lock) {
      return ports.flows().stream().filter(f -> f.isStale(get(f.remote()))).toList();
    }
  }

  /** How many cached flows are {@linkplain #staleFlows() stale}. */
  public int staleFlowCount() {
    return staleFlows().size();
  }

  /**
   * OPTE's periodic expiry, run now (by the injected clock): drops the flows of running ports that
   * carried no packet for {@link #FLOW_TTL} or more. Returns how many were dropped.
   */
  public int expireIdleFlows() {
    return expireIdleFlows(FLOW_TTL);
  }

  /** {@link #expireIdleFlows()} with another idle timeout. */
  public int expireIdleFlows(Duration ttl) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("negative flow TTL " + ttl);
    }
    synchronized (lock) {
      return ports.expire(clock.instant(), ttl);
    }
  }

  /** Makes the next {@code n} calls through the interface fail (a device error, not a crash). */
  public void failNextCalls(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative failure count " + n);
    }
    synchronized (lock) {
      failuresLeft = n;
    }
  }

  /** Makes the next {@code n} set, clear or clearUft calls fail; dumps and listPorts still work. */
  public void failNextWrites(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative failure count " + n);
    }
    synchronized (lock) {
      writeFailuresLeft = n;
    }
  }

  /** Adds {@code latency} to every call through the interface. */
  public void setLatency(Duration latency) {
    synchronized (lock) {
      latencyNanos = latency.toNanos();
    }
  }

  /** Calls {@code listener} after each write, on the writing thread. */
  public void onMutation(Consumer<Mutation> listener) {
    listeners.add(listener);
  }

  /** The entry of {@code vip}, or null. */
  public @Nullable XdeMapping get(Vip vip) {
    synchronized (lock) {
      TreeMap<IpAddr, XdeMapping> group = table.get(vip.vni());
      return group == null ? null : group.get(vip.ip());
    }
  }

  /** A copy of the table, sorted by VIP. */
  public NavigableMap<Vip, XdeMapping> table() {
    synchronized (lock) {
      TreeMap<Vip, XdeMapping> out = new TreeMap<>();
      table.values().forEach(group -> group.values().forEach(m -> out.put(m.vip(), m)));
      return out;
    }
  }

  public int size() {
    synchronized (lock) {
      return size;
    }
  }

  /** A copy of the mutation log, oldest first. */
  public List<Mutation> mutations() {
    synchronized (lock) {
      return List.copyOf(log);
    }
  }

  /** The number of log entries so far: a mark for {@link #mutationsSince}. */
  public int mutationCount() {
    synchronized (lock) {
      return log.size();
    }
  }

  /** The log entries from index {@code mark} on. */
  public List<Mutation> mutationsSince(int mark) {
    synchronized (lock) {
      return List.copyOf(log.subList(Math.min(mark, log.size()), log.size()));
    }
  }

  /** Calls made through the interface (set, clear, dump, listPorts, clearUft), failed included. */
  public long calls() {
    synchronized (lock) {
      return calls;
    }
  }

  /** Keeps the table: the device outlives the process using it. */
  @Override
  public void close() {}

  /**
   * Counts a call and fails it when a failure is injected; the message names the call and its
   * argument ({@code call} alone when there is none), built only then: every write would otherwise
   * render its VIP for nothing.
   */
  private void beginCall(String call, @Nullable Object argument, boolean write) {
    long delay;
    synchronized (lock) {
      calls++;
      delay = latencyNanos;
      if (failuresLeft > 0 || (write && writeFailuresLeft > 0)) {
        if (failuresLeft > 0) {
          failuresLeft--;
        } else {
          writeFailuresLeft--;
        }
        String what = argument == null ? call : call + " " + argument;
        throw new XdeException(XdeException.Kind.OTHER, what + ": injected device failure");
      }
    }
    if (delay > 0) {
      LockSupport.parkNanos(delay);
    }
  }

  private void write(Mutation.Op op, Vip vip, @Nullable XdeMapping after) {
    Mutation mutation;
    synchronized (lock) {
      mutation = record(op, vip, after);
    }
    notifyListeners(mutation);
  }

  /** Changes the table and logs it; the caller holds the lock. */
  private Mutation record(Mutation.Op op, Vip vip, @Nullable XdeMapping after) {
    XdeMapping before;
    if (after != null) {
      before = table.computeIfAbsent(vip.vni(), v -> new TreeMap<>()).put(vip.ip(), after);
    } else {
      TreeMap<IpAddr, XdeMapping> group = table.get(vip.vni()); // like OPTE: no group created
      before = group == null ? null : group.remove(vip.ip());
    }
    size += (after == null ? 0 : 1) - (before == null ? 0 : 1);
    Mutation mutation = new Mutation(++sequence, clock.instant(), op, vip, before, after);
    if (keepLog) {
      log.add(mutation);
    }
    return mutation;
  }

  private void notifyListeners(Mutation mutation) {
    for (Consumer<Mutation> listener : listeners) {
      listener.accept(mutation);
    }
  }

  /**
   * Whether to keep the mutation log (default: yes). Long runs with many writes can turn it off and
   * observe writes through {@link #onMutation} instead.
   */
  public void keepMutationLog(boolean keep) {
    synchronized (lock) {
      keepLog = keep;
      if (!keep) {
        log.clear();
      }
    }
  }

  /** Entries per VNI, for tests of OPTE's "a VNI stays once used" shape. */
  public Map<Vni, Integer> groupSizes() {
    synchronized (lock) {
      Map<Vni, Integer> out = new TreeMap<>();
      table.forEach((vni, group) -> out.put(vni, group.size()));
      return out;
    }
  }
}
