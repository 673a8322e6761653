package dev.v2pledger.applier.testing;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.function.Supplier;

/**
 * A device whose every call from the applier is surrounded by what the rest of the sled does
 * meanwhile: {@code between} runs right before and right after each call (a guest sending packets,
 * XDE creating or destroying a port), on the applier's thread, so it lands at each point where the
 * applier's calls could interleave with the world.
 */
public final class InterposedXde implements Xde {

  /** What happens around one call. */
  public interface Between {
    /** {@code call} ({@code SetVirt2Phys}, {@code DumpVirt2Phys}, ...) is about to be made. */
    default void before(String call) {}

    /** {@code call} returned or threw. */
    default void after(String call) {}
  }

  private final Xde device;
  private final Between between;

  public InterposedXde(Xde device, Between between) {
    this.device = device;
    this.between = between;
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
    between.before(call);
    try {
      return body.get();
    } finally {
      between.after(call);
    }
  }
}
