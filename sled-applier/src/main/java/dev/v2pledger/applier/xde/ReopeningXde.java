package dev.v2pledger.applier.xde;

import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A device that is opened on first use and opened again after a device-wide failure (no driver, no
 * privilege, another API version, a descriptor that no longer reaches XDE, closed): an applier
 * started before XDE is loaded keeps running, counts the failed calls, and works once the device
 * appears. Thread-safe.
 */
public final class ReopeningXde implements Xde {
  private final Supplier<Xde> opener;
  private @Nullable Xde device;
  private boolean closed;

  public ReopeningXde(Supplier<Xde> opener) {
    this.opener = opener;
  }

  @Override
  public void set(XdeMapping mapping) {
    run(d -> d.set(mapping));
  }

  @Override
  public List<XdeMapping> dump() {
    return call(Xde::dump);
  }

  @Override
  public void clear(Vip vip) {
    run(d -> d.clear(vip));
  }

  @Override
  public List<PortInfo> listPorts() {
    return call(Xde::listPorts);
  }

  @Override
  public void clearUft(String portName) {
    run(d -> d.clearUft(portName));
  }

  private void run(Consumer<Xde> work) {
    call(
        d -> {
          work.accept(d);
          return null;
        });
  }

  /** {@code work} on the device, dropped (to be opened again) if that fails device-wide. */
  private <T> T call(Function<Xde, T> work) {
    Xde d = device();
    try {
      return work.apply(d);
    } catch (XdeException e) {
      maybeDrop(d, e);
      throw e;
    }
  }

  private synchronized Xde device() {
    if (closed) {
      throw new XdeException(XdeException.Kind.UNAVAILABLE, "the XDE device is closed");
    }
    if (device == null) {
      device = opener.get();
    }
    return device;
  }

  private synchronized void maybeDrop(Xde failed, XdeException e) {
    if (e.isDeviceWide() && device == failed) {
      device = null;
      failed.close();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (device != null) {
      device.close();
      device = null;
    }
  }
}
