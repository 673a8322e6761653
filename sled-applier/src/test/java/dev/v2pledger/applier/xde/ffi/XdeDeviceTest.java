package dev.v2pledger.applier.xde.ffi;

import static dev.v2pledger.applier.testing.SamplePorts.v4;
import static dev.v2pledger.applier.testing.SamplePorts.v6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.testing.SamplePorts;
import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeException.Kind;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.postcard.PortMessages;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jnr-ffi binding end to end against the stand-in kernel library. */
class XdeDeviceTest {
  private FakeXde.Control kernel;
  private XdeDevice device;

  @BeforeEach
  void openDevice() {
    kernel = FakeXde.control();
    device = XdeDevice.open(FakeXde.config());
  }

  @AfterEach
  void closeDevice() {
    device.close();
  }

  static XdeMapping mapping(int vni, String ip, int sled) {
    return new XdeMapping(
        new Vip(new Vni(vni), IpAddr.parse(ip)),
        MacAddr.parse("a8:40:25:00:00:" + String.format("%02x", sled)),
        Ipv6Addr.parse("fd00:1122:3344:" + (100 + sled) + "::1"));
  }

  @Test
  void setsDumpsAndClearsBothFamiliesAcrossVnis_sortedByVniThenIp() {
    List<XdeMapping> entries =
        List.of(
            mapping(7777, "fd77::5", 1),
            mapping(7777, "172.30.0.9", 2),
            mapping(42, "10.0.0.1", 3),
            mapping(7777, "172.30.0.5", 1));
    entries.forEach(device::set);

    assertThat(device.dump())
        .containsExactly(
            mapping(42, "10.0.0.1", 3),
            mapping(7777, "172.30.0.5", 1),
            mapping(7777, "172.30.0.9", 2),
            mapping(7777, "fd77::5", 1));

    device.clear(new Vip(new Vni(7777), IpAddr.parse("172.30.0.9")));
    assertThat(device.dump()).hasSize(3).doesNotContain(mapping(7777, "172.30.0.9", 2));
  }

  @Test
  void setIsAnUpsertAndClearIgnoresMacAndUnderlay() {
    device.set(mapping(7777, "172.30.0.5", 1));
    device.set(mapping(7777, "172.30.0.5", 2));
    assertThat(device.dump()).containsExactly(mapping(7777, "172.30.0.5", 2));

    device.clear(mapping(7777, "172.30.0.5", 9).vip());
    device.clear(mapping(7777, "172.30.0.77", 9).vip()); // absent: a no-op
    assertThat(device.dump()).isEmpty();
    assertThat(kernel.entryCount()).isZero();
  }

  @Test
  void givenSmallResponseBuffer_whenDumpDoesNotFit_thenGrowsToResponseLenActualAndRetriesOnce() {
    device.close();
    device = XdeDevice.open(FakeXde.config().withInitialResponseBytes(16));
    for (int i = 0; i < 100; i++) {
      device.set(mapping(7777, "172.30.1." + i, i % 7));
    }
    long before = kernel.ioctlCalls();

    assertThat(device.dump()).hasSize(100);
    assertThat(kernel.ioctlCalls() - before).isEqualTo(2);
    before = kernel.ioctlCalls();
    assertThat(device.dump()).as("the grown buffer is kept").hasSize(100);
    assertThat(kernel.ioctlCalls() - before).isEqualTo(1);
  }

  @Test
  void givenAnswerGrowingOnEveryTry_thenGivesUpAfterThreeTries() {
    device.close();
    device = XdeDevice.open(FakeXde.config().withInitialResponseBytes(16));
    kernel.growOnDump(2000);
    long before = kernel.ioctlCalls();

    assertThatThrownBy(device::dump)
        .isInstanceOfSatisfying(
            XdeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE))
        .hasMessageStartingWith("DumpVirt2Phys: the response did not fit after 3 tries");
    assertThat(kernel.ioctlCalls() - before).isEqualTo(3);
  }

  @Test
  void givenKernelOfAnotherApiVersion_thenEprotoWithBothVersions() {
    kernel.setKernelApiVersion(40);

    assertThatThrownBy(() -> device.set(mapping(7777, "172.30.0.5", 1)))
        .isInstanceOfSatisfying(
            XdeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.API_VERSION);
              assertThat(e.opteError()).isEqualTo(new OpteError.BadApiVersion(41, 40));
            })
        .hasMessage("SetVirt2Phys: XDE speaks API version 40, this build speaks 41");
  }

  @Test
  void givenEprotoWithoutCopiedOutError_thenStillNamesTheVersionProblem() {
    kernel.failNext(kernel.errno("EPROTO"), 1);

    assertThatThrownBy(device::dump)
        .hasMessage("DumpVirt2Phys: XDE speaks another API version, this build speaks 41 (EPROTO)");
  }

  @Test
  void givenEpermOrEacces_thenNeedsPrivilege() {
    kernel.failNext(kernel.errno("EPERM"), 1);
    assertThatThrownBy(() -> device.clear(mapping(1, "10.0.0.1", 1).vip()))
        .isInstanceOfSatisfying(
            XdeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.PERMISSION))
        .hasMessageContaining("ClearVirt2Phys: permission denied: needs privilege");

    kernel.setOpenErrno(kernel.errno("EACCES"));
    assertThatThrownBy(() -> XdeDevice.open(FakeXde.config()))
        .hasMessageStartingWith("permission denied opening /dev/xde: needs privilege");
  }

  @Test
  void givenNoDeviceNode_thenNoXdeDriver() {
    assertThatThrownBy(() -> XdeDevice.open(FakeXde.config().withDevicePath("/dev/nope")))
        .isInstanceOfSatisfying(
            XdeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_DEVICE))
        .hasMessage("no XDE driver: cannot open /dev/nope (ENOENT)");
  }

  @Test
  void givenCopiedOutSystemError_thenDecodesErrnoAndMessage() {
    kernel.failNextWithSystemError(kernel.errno("EIO"), "underlay is down");

    assertThatThrownBy(() -> device.set(mapping(7777, "172.30.0.5", 1)))
        .isInstanceOfSatisfying(
            XdeException.class,
            e ->
                assertThat(e.opteError())
                    .isEqualTo(new OpteError.SystemError(kernel.errno("EIO"), "underlay is down")))
        .hasMessageStartingWith("SetVirt2Phys: system error (errno 5): underlay is down");
  }

  /**
   * {@code System} carries its own errno, any errno: one of EPROTO that XDE copied out is its
   * answer to this command, not a kernel of another API version (that is {@code BadApiVersion}, or
   * EPROTO with nothing copied out). The device stays, and the message keeps XDE's own words.
   */
  @Test
  void givenCopiedOutSystemErrorWithEproto_thenItIsTheCommandsError_notAnotherApiVersion() {
    int eproto = kernel.errno("EPROTO");
    kernel.failNextWithSystemError(eproto, "underlay protocol error");

    assertThatThrownBy(() -> device.set(mapping(7777, "172.30.0.5", 1)))
        .isInstanceOfSatisfying(
            XdeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.COMMAND);
              assertThat(e.isDeviceWide()).isFalse();
              assertThat(e.opteError())
                  .isEqualTo(new OpteError.SystemError(eproto, "underlay protocol error"));
            })
        .hasMessage(
            "SetVirt2Phys: system error (errno " + eproto + "): underlay protocol error (EPROTO)");
    device.set(mapping(7777, "172.30.0.5", 1));
    assertThat(device.dump()).hasSize(1);
  }

  @Test
  void givenMissingLibrary_thenUnavailableNamingIt() {
    assertThatThrownBy(
            () -> XdeDevice.open(FakeXde.config().withLibrary("/nonexistent/libnothing.so")))
        .isInstanceOfSatisfying(
            XdeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageStartingWith("cannot load library '/nonexistent/libnothing.so'");
  }

  /** jnr-ffi reports its attempt at "lib" + path + ".so" for a path: the file is named instead. */
  @Test
  void givenALibraryPathThatDoesNotLoad_thenTheMessageSaysWhatTheFileIs(@TempDir Path dir)
      throws Exception {
    Path text = Files.writeString(dir.resolve("events.jsonl"), "{\"not\": \"a library\"}\n");

    assertThatThrownBy(() -> XdeDevice.checkLibrary(FakeXde.config().withLibrary(text.toString())))
        .hasMessage(
            "cannot load library '"
                + text
                + "' for open/ioctl/close: the file does not load as a shared library of this"
                + " platform");
    assertThatThrownBy(() -> XdeDevice.checkLibrary(FakeXde.config().withLibrary("/none/x")))
        .hasMessage("cannot load library '/none/x' for open/ioctl/close: no such file");
    assertThatThrownBy(() -> XdeDevice.checkLibrary(FakeXde.config().withLibrary(dir.toString())))
        .hasMessageEndingWith(": it is a directory");
  }

  /** A library this user may not read is named for what it is (the test needs a non-root user). */
  @Test
  void givenALibraryThisUserMayNotRead_thenPermissionDenied(@TempDir Path dir) throws Exception {
    Path locked = Files.copy(Path.of(FakeXde.config().library()), dir.resolve("libxde.so"));
    Files.setPosixFilePermissions(locked, Set.of());
    Assumptions.assumeFalse(Files.isReadable(locked), "permissions do not bind here (root)");

    assertThatThrownBy(
            () -> XdeDevice.checkLibrary(FakeXde.config().withLibrary(locked.toString())))
        .hasMessage("cannot load library '" + locked + "' for open/ioctl/close: permission denied");
  }

  private void port(String name, int vni, String mac) {
    assertThat(kernel.portCreate(name, vni, mac)).as("create %s", name).isZero();
  }

  private void portSet(String name, String field, @Nullable String value) {
    assertThat(kernel.portSet(name, field, value)).as("%s.%s", name, field).isZero();
  }

  @Test
  void givenNoPorts_thenListPortsIsEmpty() {
    assertThat(device.listPorts()).isEmpty();
  }

  @Test
  void listPortsDecodesEveryOptionPresentAndAbsent_inXdesOrderByVniThenMac() {
    port("opte2", 7777, "a8:40:25:00:00:03");
    portSet("opte2", "ip4_addr", "172.30.0.5");
    portSet("opte2", "ephemeral_ip4_addr", "10.1.2.3");
    portSet("opte2", "floating_ip4_addrs", "10.1.2.4,10.1.2.5");
    portSet("opte2", "ip6_addr", "fd77::5");
    portSet("opte2", "ephemeral_ip6_addr", "2001:db8::1");
    portSet("opte2", "floating_ip6_addrs", "2001:db8::2");
    port("opte0", 7777, "a8:40:25:00:00:01"); // every Option None
    portSet("opte0", "state", "paused");
    port("opte1", 42, "a8:40:25:00:00:09");
    portSet("opte1", "ip4_addr", "10.0.0.1");
    portSet("opte1", "floating_ip4_addrs", ""); // Some([])

    assertThat(device.listPorts())
        .containsExactly(
            PortInfo.of("opte1", MacAddr.parse("a8:40:25:00:00:09"), v4("10.0.0.1"), "running"),
            SamplePorts.bare("opte0", "a8:40:25:00:00:01"),
            SamplePorts.full("opte2", "a8:40:25:00:00:03"));
  }

  @Test
  void givenMorePortsThanSixteenKiBHold_thenListPortsGrowsTheBufferOnceAndRetries() {
    for (int i = 0; i < 400; i++) {
      String name = "opte" + i;
      port(name, 7777, String.format("a8:40:25:00:%02x:%02x", i >> 8, i & 0xff));
      portSet(name, "ip4_addr", "172.30." + (i >> 8) + "." + (i & 0xff));
      portSet(name, "floating_ip4_addrs", "10.9." + (i >> 8) + "." + (i & 0xff) + ",10.8.0.1");
      portSet(name, "ip6_addr", "fd77::" + Integer.toHexString(i));
    }
    long before = kernel.ioctlCalls();

    List<PortInfo> ports = device.listPorts();

    assertThat(kernel.ioctlCalls() - before).as("ENOBUFS, then the answer").isEqualTo(2);
    assertThat(PortMessages.listPortsResponse(ports).length)
        .isGreaterThan(XdeDeviceConfig.DEFAULT_RESPONSE_BYTES);
    assertThat(ports).hasSize(400);
    PortInfo last = ports.get(399);
    assertThat(last.name()).isEqualTo("opte399");
    assertThat(last.floatingIp4s()).contains(List.of(v4("10.9.1.143"), v4("10.8.0.1")));
    assertThat(last.ip6()).contains(v6("fd77::18f"));
  }

  @Test
  void clearUftEmptiesBothDirectionsOfThatPortsUftOnly() {
    port("opte0", 7777, "a8:40:25:00:00:01");
    port("opte1", 7777, "a8:40:25:00:00:02");
    assertThat(kernel.portAddFlows("opte0", 3, 4)).isZero();
    assertThat(kernel.portAddFlows("opte1", 5, 0)).isZero();

    device.clearUft("opte0");

    assertThat(kernel.portUftFlows("opte0")).isZero();
    assertThat(kernel.portUftFlows("opte1")).isEqualTo(5);
  }

  @Test
  void givenPortNotRunning_thenClearUftIsBadStateNamingTheState_andTheUftStays() {
    port("opte0", 7777, "a8:40:25:00:00:01");
    assertThat(kernel.portAddFlows("opte0", 2, 2)).isZero();
    portSet("opte0", "state", "paused");

    assertThatThrownBy(() -> device.clearUft("opte0"))
        .isInstanceOfSatisfying(
            XdeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.COMMAND);
              assertThat(e.isDeviceWide()).isFalse();
              assertThat(e.opteError()).isEqualTo(new OpteError.BadState("paused"));
              assertThat(e.errno()).isEqualTo(kernel.errno("EINVAL"));
            })
        .hasMessage("ClearUft: BadState: port is paused (EINVAL)");
    assertThat(kernel.portUftFlows("opte0")).isEqualTo(4);
  }

  @Test
  void givenUnknownPort_thenClearUftIsPortNotFoundNamingIt() {
    port("opte0", 7777, "a8:40:25:00:00:01");

    assertThatThrownBy(() -> device.clearUft("opte9"))
        .isInstanceOfSatisfying(
            XdeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.COMMAND);
              assertThat(e.opteError()).isEqualTo(new OpteError.PortNotFound("opte9"));
              assertThat(e.errno()).isEqualTo(kernel.errno("ENOENT"));
            })
        .hasMessage("ClearUft: PortNotFound: opte9 (ENOENT)");
  }

  @Test
  void aNameLongerThanTheFirstRequestBufferIsSentWhole() {
    String name = "p".repeat(200); // two-byte length, more than the 42-byte V2P request buffer
    assertThatThrownBy(() -> device.clearUft(name))
        .isInstanceOfSatisfying(
            XdeException.class,
            e -> assertThat(e.opteError()).isEqualTo(new OpteError.PortNotFound(name)));
    device.set(mapping(7777, "172.30.0.5", 1)); // and a short request after it still works
    assertThat(device.dump()).hasSize(1);
  }

  @Test
  void givenAStaleDescriptorOrABareEio_thenNoDeviceNamingIt() {
    kernel.staleDescriptors();
    assertThatThrownBy(device::dump)
        .isInstanceOfSatisfying(
            XdeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_DEVICE))
        .hasMessage("DumpVirt2Phys: the descriptor of /dev/xde is not open any more (EBADF)");
    device.close();
    assertThat(kernel.foreignCloses())
        .as(
            "a number the kernel says is not ours is forgotten, never closed: it may be a socket now")
        .isZero();

    XdeDevice reopened = XdeDevice.open(FakeXde.config());
    try {
      kernel.failNext(kernel.errno("EIO"), 1);
      assertThatThrownBy(reopened::dump)
          .isInstanceOfSatisfying(
              XdeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NO_DEVICE))
          .hasMessage("DumpVirt2Phys: I/O error on /dev/xde (EIO)");
    } finally {
      reopened.close();
    }
  }

  @Test
  void givenClosedDevice_thenCallsFailClearly() {
    device.close();
    assertThatThrownBy(device::dump).hasMessage("DumpVirt2Phys: the XDE device is closed");
  }
}
