package dev.v2pledger.applier.xde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.testing.EmptyXde;
import dev.v2pledger.applier.xde.ffi.FakeXde;
import dev.v2pledger.applier.xde.ffi.XdeDevice;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The port commands through {@link ReopeningXde}, over the binding and the stand-in library. */
class ReopeningXdeTest {
  private final AtomicInteger opens = new AtomicInteger();
  private FakeXde.Control kernel;
  private ReopeningXde device;

  @BeforeEach
  void open() {
    kernel = FakeXde.control();
    device =
        new ReopeningXde(
            () -> {
              opens.incrementAndGet();
              return XdeDevice.open(FakeXde.config());
            });
  }

  @AfterEach
  void close() {
    device.close();
  }

  @Test
  void listPortsAndClearUftAreForwarded() {
    assertThat(kernel.portCreate("opte0", 7777, "a8:40:25:00:00:01")).isZero();
    assertThat(kernel.portAddFlows("opte0", 1, 1)).isZero();

    assertThat(device.listPorts()).extracting(PortInfo::name).containsExactly("opte0");
    device.clearUft("opte0");

    assertThat(kernel.portUftFlows("opte0")).isZero();
    assertThat(opens).hasValue(1);
  }

  @Test
  void aPortErrorKeepsTheDevice_aDeviceWideErrorOpensItAgain() {
    assertThatThrownBy(() -> device.clearUft("opte9")).hasMessageContaining("PortNotFound");
    device.listPorts();
    assertThat(opens).as("PortNotFound is about one port").hasValue(1);

    kernel.setKernelApiVersion(40);
    assertThatThrownBy(device::listPorts)
        .hasMessage("ListPorts: XDE speaks API version 40, this build speaks 41");
    kernel.setKernelApiVersion(41);
    assertThat(device.listPorts()).isEmpty();
    assertThat(opens).as("reopened after the device-wide error").hasValue(2);
  }

  /**
   * A descriptor that no longer reaches XDE (EBADF: closed under the applier; EIO from the layers
   * below XDE, which itself never answers EIO without a copied-out error) fails every later call
   * the same way: the device is opened again, as after any device-wide error.
   */
  @Test
  void aStaleDescriptorOrAnIoErrorOpensTheDeviceAgain() {
    assertThat(device.listPorts()).isEmpty();
    kernel.staleDescriptors();

    assertThatThrownBy(device::listPorts)
        .isInstanceOfSatisfying(
            XdeException.class,
            e -> {
              assertThat(e.errno()).isEqualTo(kernel.errno("EBADF"));
              assertThat(e.isDeviceWide()).isTrue();
            });
    assertThat(device.listPorts()).as("the next call opens a new descriptor").isEmpty();
    assertThat(opens).hasValue(2);

    kernel.failNext(kernel.errno("EIO"), 1);
    assertThatThrownBy(device::listPorts)
        .isInstanceOfSatisfying(XdeException.class, e -> assertThat(e.isDeviceWide()).isTrue());
    assertThat(device.listPorts()).isEmpty();
    assertThat(opens).hasValue(3);
  }

  /** An EIO that XDE copied out as its own error is about the command: the device stays. */
  @Test
  void anIoErrorXdeAnsweredKeepsTheDevice() {
    kernel.failNextWithSystemError(kernel.errno("EIO"), "underlay is down");
    assertThatThrownBy(device::listPorts)
        .isInstanceOfSatisfying(XdeException.class, e -> assertThat(e.isDeviceWide()).isFalse());
    assertThat(device.listPorts()).isEmpty();
    assertThat(opens).hasValue(1);
  }

  /**
   * Two threads on one descriptor: A's call is in the device when B's call fails device-wide. The
   * descriptor is closed once A's call is done, not under it: A gets the device's answer, not "the
   * XDE device is closed" from a close it did not ask for (the failure is B's, and the device, open
   * again, answers).
   */
  @Test
  @Timeout(30)
  void aDeviceWideFailure_closesTheDescriptorOnlyAfterTheCallsInIt() throws Exception {
    CountDownLatch aInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean firstClosed = new AtomicBoolean();
    Xde first =
        new EmptyXde() {
          @Override
          public List<PortInfo> listPorts() {
            aInside.countDown();
            await(release);
            if (firstClosed.get()) { // as XdeDevice answers a call on a closed descriptor
              throw new XdeException(
                  XdeException.Kind.UNAVAILABLE, "ListPorts: the XDE device is closed");
            }
            return List.of();
          }

          @Override
          public List<XdeMapping> dump() {
            throw new XdeException(XdeException.Kind.NO_DEVICE, "DumpVirt2Phys: no XDE driver");
          }

          @Override
          public void close() {
            firstClosed.set(true);
          }
        };
    AtomicInteger opened = new AtomicInteger();
    ReopeningXde shared =
        new ReopeningXde(() -> opened.getAndIncrement() == 0 ? first : new EmptyXde());
    AtomicReference<Object> aGot = new AtomicReference<>();
    Thread a =
        new Thread(
            () -> {
              try {
                aGot.set(shared.listPorts());
              } catch (XdeException e) {
                aGot.set(e);
              }
            });
    a.start();
    aInside.await();

    AtomicReference<Throwable> bGot = new AtomicReference<>();
    Thread b =
        new Thread(
            () -> {
              try {
                shared.dump();
              } catch (Throwable e) { // asserted on the test's thread
                bGot.set(e);
              }
            });
    b.start();
    // B has failed and either dropped the descriptor (ended) or waits for A's call to leave it
    while (b.getState() != Thread.State.TERMINATED && b.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    release.countDown();
    a.join();
    b.join();

    assertThat(bGot.get())
        .as("B's call, failing device-wide")
        .isInstanceOf(XdeException.class)
        .hasMessage("DumpVirt2Phys: no XDE driver");
    assertThat(aGot.get()).as("A's call, in the device before B's failure").isEqualTo(List.of());
    assertThat(firstClosed).as("dropped after the failure").isTrue();
    assertThat(shared.listPorts()).isEmpty();
    assertThat(opened).as("opened again for the next call").hasValue(2);
    shared.close();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
