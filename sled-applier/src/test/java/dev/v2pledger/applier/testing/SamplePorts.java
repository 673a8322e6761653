package dev.v2pledger.applier.testing;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import java.util.List;
import java.util.Optional;

/** Ports of the tests of XDE's ListPorts. */
public final class SamplePorts {
  private SamplePorts() {}

  /** A running port with every Option present, lists of two and one. */
  public static PortInfo full(String name, String mac) {
    return new PortInfo(
        name,
        MacAddr.parse(mac),
        Optional.of(v4("172.30.0.5")),
        Optional.of(v4("10.1.2.3")),
        Optional.of(List.of(v4("10.1.2.4"), v4("10.1.2.5"))),
        Optional.of(v6("fd77::5")),
        Optional.of(v6("2001:db8::1")),
        Optional.of(List.of(v6("2001:db8::2"))),
        "running");
  }

  /** A paused port with every Option absent. */
  public static PortInfo bare(String name, String mac) {
    return new PortInfo(
        name,
        MacAddr.parse(mac),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        "paused");
  }

  public static Ipv4Addr v4(String text) {
    return Ipv4Addr.parse(text);
  }

  public static Ipv6Addr v6(String text) {
    return Ipv6Addr.parse(text);
  }
}
