package dev.v2pledger.applier.xde;

import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A device that is opened on first use and opened again after a device-wide failure (no driver, no
 * privilege, another API version, a descriptor that no longer reaches XDE, closed): an applier
 * started before XDE is loaded keeps running, counts the failed calls, and works once the device
 * appears. Thread-safe: calls run concurrently (as the device takes them: {@code XdeDevice} runs
 * one ioctl at a time), and a descriptor is opened, dropped or closed only while no call is in it,
 * so a call never fails because another thread's failure closed the descriptor under it.
 */
public final class ReopeningXde implements Xde {
  private final Supplier<Xde> opener;

  /** Read: a call in the device. Write: opening, dropping or closing it. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

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

  /**
   * {@code work} on the device, dropped (to be opened again) if that fails device-wide: once the
   * calls in it (other threads') are done.
   */
  private <T> T call(Function<Xde, T> work) {
    Xde d = enter();
    boolean deviceWide = false;
    try {
      return work.apply(d);
    } catch (XdeException e) {
      deviceWide = e.isDeviceWide();
      throw e;
    } finally {
      lock.readLock().unlock();
      if (deviceWide) {
        drop(d);
      }
    }
  }

  /** The device, opened if need be, with the read lock held. */
  private Xde enter() {
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      throw new XdeException(XdeException.Kind.UNAVAILABLE, "the XDE device is closed");
    }
    Xde d = device;
    if (d != null) {
      return d;
    }
    lock.readLock().unlock();
    lock.writeLock().lock();
    try {
      if (closed) {
        throw new XdeException(XdeException.Kind.UNAVAILABLE, "the XDE device is closed");
      }
      if (device == null) {
        device = opener.get();
      }
      d = device;
      lock.readLock().lock(); // downgrade: no drop or close between the opening and the call
      return d;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void drop(Xde failed) {
    lock.writeLock().lock();
    try {
      if (device == failed) {
        device = null;
        failed.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      closed = true;
      if (device != null) {
        device.close();
        device = null;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
