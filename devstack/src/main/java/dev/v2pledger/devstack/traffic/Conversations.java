package dev.v2pledger.devstack.traffic;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.devstack.report.StaleFlows;
import dev.v2pledger.devstack.report.TruthTimeline;
import dev.v2pledger.devstack.sled.LocalSled;
import dev.v2pledger.devstack.sled.Sled;
import dev.v2pledger.devstack.stack.CounterSum;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Guests talking to each other while the workload runs. Every running port of every simulated sled
 * keeps {@value #PER_PORT} conversations with random running instances of its VNI; each lasts an
 * exponentially distributed time (mean {@value #MEAN_SECONDS} s) and ends early when its peer
 * stops. Every tick each conversation sends one packet through the device ({@link
 * SimulatedXde#useFlow}: the port's cached flow, or a new one with the V2P entry in force), and the
 * tick's length counts as stale when the packet went to another sled than the one the ground truth
 * says hosts the peer. Beside the real flow tables, a shadow table per port keeps each flow's first
 * entry until it idles out ({@link SimulatedXde#FLOW_TTL}): what the flows would have done had no
 * table been cleared. Packets dropped for want of an entry are not stale flows (the mapping
 * exposure counts them).
 */
public final class Conversations implements AutoCloseable {
  /** How often each conversation sends. */
  public static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  static final int PER_PORT = 2;
  static final double MEAN_SECONDS = 5;
  private static final long EXPIRE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Talk(Vip peer, long endsAt) {}

  private record Shadow(XdeMapping cached, long lastUsed) {}

  /** A shadow flow's key: its port and peer (not a string of them, built for every packet). */
  private record FlowKey(String port, Vip peer) {}

  private final List<SimulatedXde> devices;
  private final TruthTimeline truth;
  private final Random random;
  private final MeterRegistry registry;
  private double clearsBefore;
  private final List<Map<String, List<Talk>>> talks = new ArrayList<>();
  private final List<Map<FlowKey, Shadow>> shadows = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private double flowSeconds;
  private double staleSeconds;
  private double staleWithout;
  private double cachedStale;
  private double cachedStaleWithout;
  private double portSeconds;
  private long conversations;
  private int truthSeen = -1;
  private Map<Vip, XdeMapping> where = Map.of();
  private Map<Vni, List<Vip>> byVni = Map.of();

  private Conversations(
      List<SimulatedXde> devices, TruthTimeline truth, long seed, MeterRegistry registry) {
    this.devices = List.copyOf(devices);
    this.truth = truth;
    this.random = new Random(seed);
    this.registry = registry;
    this.clearsBefore = uftClears(registry);
    for (int i = 0; i < devices.size(); i++) {
      talks.add(new HashMap<>());
      shadows.add(new HashMap<>());
    }
    this.thread = new Thread(this::run, "devstack-conversations");
    this.thread.setDaemon(true);
  }

  /** Starts the conversations on {@code devices}; the truth says where each peer really is. */
  public static Conversations start(
      List<SimulatedXde> devices, TruthTimeline truth, long seed, MeterRegistry registry) {
    Conversations c = new Conversations(devices, truth, seed, registry);
    c.thread.start();
    return c;
  }

  private void run() {
    long last = System.nanoTime();
    long nextExpiry = last + EXPIRE_EVERY_NANOS;
    while (running) {
      LockSupport.parkNanos(TICK_NANOS);
      long now = System.nanoTime();
      double seconds = Math.min(now - last, 10 * TICK_NANOS) / 1e9; // a stalled tick counts 10
      last = now;
      int seen = truth.changeCount();
      if (seen != truthSeen) { // the truth's map and its peers by VNI only when it changed
        truthSeen = seen;
        where = truth.current();
        byVni = new HashMap<>();
        where.keySet().forEach(v -> byVni.computeIfAbsent(v.vni(), k -> new ArrayList<>()).add(v));
      }
      synchronized (this) {
        for (int i = 0; i < devices.size(); i++) {
          tick(i, now, seconds, where, byVni);
        }
      }
      if (now - nextExpiry >= 0) {
        devices.forEach(SimulatedXde::expireIdleFlows);
        nextExpiry = now + EXPIRE_EVERY_NANOS;
      }
    }
  }

  private void tick(
      int sled, long now, double seconds, Map<Vip, XdeMapping> where, Map<Vni, List<Vip>> byVni) {
    SimulatedXde device = devices.get(sled);
    Map<String, Vip> ports = device.runningPorts();
    Map<String, List<Talk>> sledTalks = talks.get(sled);
    Map<FlowKey, Shadow> sledShadows = shadows.get(sled);
    sledTalks.keySet().retainAll(ports.keySet());
    sledShadows.keySet().removeIf(key -> !ports.containsKey(key.port()));
    portSeconds += seconds * ports.size();
    for (Map.Entry<String, Vip> port : ports.entrySet()) {
      List<Talk> list = sledTalks.computeIfAbsent(port.getKey(), k -> new ArrayList<>());
      list.removeIf(t -> t.endsAt() - now <= 0 || !where.containsKey(t.peer()));
      List<Vip> peers = byVni.getOrDefault(port.getValue().vni(), List.of());
      while (list.size() < PER_PORT && peers.size() > 1) {
        Vip peer = peers.get(random.nextInt(peers.size()));
        if (!peer.equals(port.getValue())) {
          long lasts = (long) (-Math.log(1 - random.nextDouble()) * MEAN_SECONDS * 1e9);
          list.add(new Talk(peer, now + lasts));
          conversations++;
        }
      }
      for (Iterator<Talk> it = list.iterator(); it.hasNext(); ) {
        Talk talk = it.next();
        Ipv6Addr really = where.get(talk.peer()).underlayIp();
        Optional<Ipv6Addr> sent;
        try {
          sent = device.useFlow(port.getKey(), talk.peer().ip());
        } catch (IllegalArgumentException gone) { // destroyed since runningPorts(): talk no more
          sledTalks.remove(port.getKey());
          break;
        }
        flowSeconds += seconds;
        XdeMapping entry = device.get(talk.peer());
        boolean entryRight = entry != null && entry.underlayIp().equals(really);
        if (sent.isPresent() && !sent.get().equals(really)) {
          staleSeconds += seconds;
          cachedStale += entryRight ? seconds : 0;
        }
        Ipv6Addr shadowSent = shadow(sledShadows, device, port.getKey(), talk.peer(), now);
        if (shadowSent != null && !shadowSent.equals(really)) {
          staleWithout += seconds;
          cachedStaleWithout += entryRight ? seconds : 0;
        }
      }
    }
  }

  /** Where the flow would send had its table never been cleared. */
  private static @Nullable Ipv6Addr shadow(
      Map<FlowKey, Shadow> shadows, SimulatedXde device, String port, Vip peer, long now) {
    FlowKey key = new FlowKey(port, peer);
    Shadow flow = shadows.get(key);
    if (flow == null || now - flow.lastUsed() >= SimulatedXde.FLOW_TTL.toNanos()) {
      XdeMapping entry = device.get(peer);
      if (entry == null) {
        shadows.remove(key);
        return null; // dropped: nothing cached
      }
      flow = new Shadow(entry, now);
    }
    shadows.put(key, new Shadow(flow.cached(), now));
    return flow.cached().underlayIp();
  }

  /** Stops the conversations and sums them up. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the sums again (the measured window opens); conversations go on. */
  public synchronized void reset() {
    flowSeconds = 0;
    staleSeconds = 0;
    staleWithout = 0;
    cachedStale = 0;
    cachedStaleWithout = 0;
    portSeconds = 0;
    conversations = 0;
    clearsBefore = uftClears(registry);
  }

  /** The simulated devices of the sleds in this JVM (a remote sled's is out of reach). */
  public static List<SimulatedXde> devicesOf(List<? extends Sled> sleds) {
    List<SimulatedXde> out = new ArrayList<>();
    for (Sled sled : sleds) {
      if (sled instanceof LocalSled local) {
        out.add(local.device());
      }
    }
    return out;
  }

  /** What the conversations saw since they started or were reset. */
  public synchronized StaleFlows result() {
    return new StaleFlows(
        flowSeconds,
        staleSeconds,
        cachedStale,
        staleWithout,
        cachedStaleWithout,
        conversations,
        Math.round(uftClears(registry) - clearsBefore),
        portSeconds);
  }

  private static double uftClears(MeterRegistry registry) {
    return CounterSum.of(registry, "v2p.applier.uft.ports.cleared");
  }
}
