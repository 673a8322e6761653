package dev.v2pledger.applier.testing;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A device whose every call from the applier is surrounded by what the rest of the sled does
 * meanwhile, right before and right after each call (a guest sending packets, XDE creating or
 * destroying a port), on the applier's thread, so it lands at each point where the applier's calls
 * could interleave with the world.
 */
public final class InterposedXde implements Xde {

  private final Xde device;
  private final Consumer<String> before;
  private final Consumer<String> after;

  /**
   * @param before told the name of each call ({@code SetVirt2Phys}, {@code DumpVirt2Phys}, ...)
   *     right before it is made
   * @param after told it right after the call returned or threw
   */
  public InterposedXde(Xde device, Consumer<String> before, Consumer<String> after) {
    this.device = device;
    this.before = before;
    this.after = after;
  }

  /** {@code world} runs right before and right after every call. */
  public static InterposedXde aroundEveryCall(Xde device, Runnable world) {
    return new InterposedXde(device, call -> world.run(), call -> world.run());
  }

  /** {@code world} is told each call right after it returned or threw. */
  public static InterposedXde afterEachCall(Xde device, Consumer<String> world) {
    return new InterposedXde(device, call -> {}, world);
  }

  @Override
  public void set(XdeMapping mapping) {
    around("SetVirt2Phys", () -> device.set(mapping));
  }

  @Override
  public void clear(Vip vip) {
    around("ClearVirt2Phys", () -> device.clear(vip));
  }

  @Override
  public List<XdeMapping> dump() {
    return around("DumpVirt2Phys", device::dump);
  }

  @Override
  public List<PortInfo> listPorts() {
    return around("ListPorts", device::listPorts);
  }

  @Override
  public void clearUft(String portName) {
    around("ClearUft", () -> device.clearUft(portName));
  }

  @Override
  public void close() {
    device.close();
  }

  private void around(String call, Runnable body) {
    around(
        call,
        () -> {
          body.run();
          return null;
        });
  }

  private <T> T around(String call, Supplier<T> body) {
    before.accept(call);
    try {
      return body.get();
    } finally {
      after.accept(call);
    }
  }
}
