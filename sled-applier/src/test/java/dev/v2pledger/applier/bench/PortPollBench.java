package dev.v2pledger.applier.bench;

import dev.v2pledger.applier.bench.StampedSets.Stamped;
import dev.v2pledger.applier.flows.FlowSettings;
import dev.v2pledger.applier.runner.ApplierConfig;
import dev.v2pledger.applier.runner.SledApplier;
import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.ffi.FakeXde;
import dev.v2pledger.applier.xde.ffi.XdeDevice;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.runtime.cli.Converters;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What noticing ports without a hook costs and gives. First the two port ioctls through the whole
 * binding into the stand-in library ({@code ListPorts} with 0, 16 and 64 ports; {@code ClearUft}).
 * Then an applier over a simulated device with N mappings (default 10,000) and no trigger at all:
 * XDE creates a port for a VIP that lives on another sled (the port's side effect installs "VIP ->
 * this sled") or destroys one (the entry goes), and the clock stops when the applier's pass has put
 * the entry back; at each port poll interval given (default {@code 50ms,10ms}), each operation at a
 * random phase of the polling. Last, the CPU time of the idle applier thread over 20 s with polling
 * off and at each interval.
 */
public final class PortPollBench {
  private PortPollBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    String[] intervals = (args.length > 1 ? args[1] : "50ms,10ms").split(",");
    ioctls();
    try (EmbeddedKafkaBroker broker = BenchData.broker(8)) {
      BenchData.produce(broker, n);
      for (String interval : intervals) {
        repairs(broker, Converters.duration(interval), 200);
      }
      idleCpu(broker, Duration.ZERO);
      for (String interval : intervals) {
        idleCpu(broker, Converters.duration(interval));
      }
    }
  }

  private static void ioctls() {
    FakeXde.Control control = FakeXde.control();
    control.reset();
    try (XdeDevice device = XdeDevice.open(FakeXde.config())) {
      System.out.println("ListPorts / ClearUft via jnr-ffi + postcard (stand-in library)");
      int made = 0;
      for (int ports : new int[] {0, 16, 64}) {
        for (; made < ports; made++) {
          String name = "opte" + made;
          control.portCreate(name, 7000 + made % 4, String.format("a8:40:25:00:00:%02x", made));
          control.portSet(name, "ip4_addr", "172.30.0." + (10 + made));
          control.portSet(name, "floating_ip4_addrs", "");
        }
        for (int i = 0; i < 50_000; i++) {
          device.listPorts();
        }
        long[] nanos = new long[100_000];
        for (int i = 0; i < nanos.length; i++) {
          long start = System.nanoTime();
          device.listPorts();
          nanos[i] = System.nanoTime() - start;
        }
        System.out.printf("  ListPorts, %2d ports: %s%n", ports, new Stats(nanos).micros());
      }
      long[] nanos = new long[100_000];
      for (int i = 0; i < nanos.length; i++) {
        control.portAddFlows("opte" + (i % 64), 4, 4);
        long start = System.nanoTime();
        device.clearUft("opte" + (i % 64));
        nanos[i] = System.nanoTime() - start;
      }
      System.out.printf("  ClearUft (8 flows):    %s%n", new Stats(nanos).micros());
    }
  }

  private static void repairs(EmbeddedKafkaBroker broker, Duration poll, int repairs)
      throws Exception {
    Sled sled = Sled.number(99);
    StampedSets stamped = new StampedSets(sled, m -> true);
    SimulatedXde device = stamped.device;
    BlockingQueue<Stamped> restored = stamped.sets;
    try (SledApplier applier = start(broker, sled, device, poll)) {
      restored.clear(); // the first pass's sets
      List<XdeMapping> entries = new ArrayList<>(device.table().values());
      Random random = new Random(42);
      long[] created = new long[repairs];
      long[] destroyed = new long[repairs];
      for (int i = -repairs / 4; i < repairs; i++) {
        XdeMapping victim = entries.get(random.nextInt(entries.size()));
        LockSupport.parkNanos((long) (random.nextDouble() * poll.toNanos())); // any poll phase
        long start = System.nanoTime();
        device.createPort(victim.vip().vni(), victim.vip().ip(), victim.mac());
        long madeLocal = await(restored, victim, start, applier, device);
        LockSupport.parkNanos((long) (random.nextDouble() * poll.toNanos()));
        start = System.nanoTime();
        device.destroyPort(victim.vip().vni(), victim.vip().ip());
        long gone = await(restored, victim, start, applier, device);
        if (i >= 0) {
          created[i] = madeLocal;
          destroyed[i] = gone;
        }
      }
      System.out.printf(
          "port side effects repaired without a trigger, %,d mappings, poll every %s%n",
          entries.size(), poll);
      System.out.println("  port created -> entry set back:    " + new Stats(created).micros());
      System.out.println("  port destroyed -> entry set back:  " + new Stats(destroyed).micros());
    }
  }

  private static long await(
      BlockingQueue<Stamped> restored,
      XdeMapping victim,
      long start,
      SledApplier applier,
      SimulatedXde device)
      throws InterruptedException {
    while (true) {
      Stamped back = restored.poll(10, TimeUnit.SECONDS);
      if (back == null) {
        throw new IllegalStateException(
            "no repair of "
                + victim.vip()
                + " within 10 s: device has "
                + device.get(victim.vip())
                + ", ports "
                + device.listPorts()
                + ", applier "
                + applier.status()
                + ", failure "
                + applier.failure());
      }
      if (back.mutation().vip().equals(victim.vip()) && victim.equals(back.mutation().after())) {
        return back.nanos() - start;
      }
    }
  }

  private static void idleCpu(EmbeddedKafkaBroker broker, Duration poll) throws Exception {
    Sled sled = Sled.number(98);
    SimulatedXde device = new SimulatedXde(sled.underlay(), Clock.systemUTC());
    device.keepMutationLog(false);
    for (int i = 0; i < 16; i++) {
      device.createPort(
          new Vni(7000),
          IpAddr.parse("172.31.0." + (10 + i)),
          MacAddr.parse(String.format("a8:40:25:ff:00:%02x", i)));
    }
    try (SledApplier applier = start(broker, sled, device, poll)) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long id = applierThread(sled);
      long cpu0 = threads.getThreadCpuTime(id);
      long calls0 = device.calls();
      long t0 = System.nanoTime();
      Thread.sleep(20_000);
      if (applier.failure() != null) {
        throw new IllegalStateException("applier stopped", applier.failure());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "idle applier (16 ports), port poll %s: %.2f ms CPU per s of its thread, %.1f device"
              + " calls per s%n",
          poll.isZero() ? "off" : poll,
          (threads.getThreadCpuTime(id) - cpu0) / 1e6 / seconds,
          (device.calls() - calls0) / seconds);
    }
  }

  private static SledApplier start(
      EmbeddedKafkaBroker broker, Sled sled, SimulatedXde device, Duration poll)
      throws InterruptedException {
    ApplierConfig config =
        ApplierConfig.of(sled.id(), broker.clientConfig())
            .withReconcileInterval(Duration.ofHours(1))
            .withFlows(FlowSettings.DEFAULT.withPortPoll(poll));
    SledApplier applier = SledApplier.start(config, device, new SimpleMeterRegistry());
    return BenchData.awaitReady(applier, Duration.ofSeconds(120));
  }

  private static long applierThread(Sled sled) {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("sled-applier-" + sled.id())) {
        return thread.getId();
      }
    }
    throw new IllegalStateException("no applier thread for " + sled.id());
  }
}
