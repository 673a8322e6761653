package dev.v2pledger.applier.xde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.xde.ffi.FakeXde;
import dev.v2pledger.applier.xde.ffi.XdeDevice;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
}
