package dev.v2pledger.applier.xde;

import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A device that is opened on first use and opened again after a device-wide failure (no driver, no
 * privilege, another API version, closed): an applier started before XDE is loaded keeps running,
 * counts the failed calls, and works once the device appears. Thread-safe.
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
    Xde d = device();
    try {
      d.set(mapping);
    } catch (XdeException e) {
      maybeDrop(d, e);
      throw e;
    }
  }

  @Override
  public void clear(Vip vip) {
    Xde d = device();
    try {
      d.clear(vip);
    } catch (XdeException e) {
      maybeDrop(d, e);
      throw e;
    }
  }

  @Override
  public List<XdeMapping> dump() {
    Xde d = device();
    try {
      return d.dump();
    } catch (XdeException e) {
      maybeDrop(d, e);
      throw e;
    }
  }

  @Override
  public List<PortInfo> listPorts() {
    Xde d = device();
    try {
      return d.listPorts();
    } catch (XdeException e) {
      maybeDrop(d, e);
      throw e;
    }
  }

  @Override
  public void clearUft(String portName) {
    Xde d = device();
    try {
      d.clearUft(portName);
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
