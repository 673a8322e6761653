package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.flows.TrackedXde;
import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.applier.xde.ReopeningXde;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * An engine over an XDE driver that can be unloaded and loaded again (with an empty table), wired
 * as {@code SledApplier} wires it: device-wide failures reach the engine, and the device answering
 * again asks for a pass (counted in {@link #passesAsked}).
 */
class ReloadableXde {
  final EngineFixture sled;
  final AtomicReference<@Nullable SimulatedXde> loaded;
  final TrackedXde device;
  final ApplierEngine engine;
  final AtomicInteger passesAsked = new AtomicInteger();

  ReloadableXde(Sled on) {
    sled = new EngineFixture(on);
    loaded = new AtomicReference<>(sled.device);
    device = new TrackedXde(new ReopeningXde(() -> driverOf(loaded)));
    engine = sled.newEngine(device);
    device.onDevice(engine::deviceWideFailure, passesAsked::incrementAndGet);
  }

  /** XDE unloaded: every call fails device-wide until it is loaded again. */
  void unload() {
    loaded.set(null);
  }

  /** XDE loaded again, its table empty. */
  SimulatedXde reload() {
    SimulatedXde reloaded = new SimulatedXde(sled.sled.underlay(), sled.clock);
    loaded.set(reloaded);
    return reloaded;
  }

  /** The device {@code loaded} holds, opened as a driver would be: gone once unloaded. */
  static Xde driverOf(AtomicReference<@Nullable SimulatedXde> loaded) {
    SimulatedXde device = loaded.get();
    if (device == null) {
      throw new XdeException(XdeException.Kind.NO_DEVICE, "no XDE driver");
    }
    return (Xde)
        Proxy.newProxyInstance(
            Xde.class.getClassLoader(),
            new Class<?>[] {Xde.class},
            (proxy, method, args) -> {
              if (loaded.get() != device && !method.getName().equals("close")) {
                throw new XdeException(XdeException.Kind.NO_DEVICE, "no XDE driver (ENXIO)");
              }
              try {
                return method.invoke(device, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
