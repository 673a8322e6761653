package dev.v2pledger.applier.xde;

import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Values;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One XDE port as {@code ListPorts} describes it (oxide-vpc's {@code PortInfo}, API version 41).
 * Every {@code Option} of OPTE's is an {@link Optional} here, including the lists: XDE answers
 * {@code Some([])} for the floating IPs of a family the port has, {@code None} for a family it has
 * not, and the two are kept apart. There is no VNI: ListPorts does not say it.
 *
 * @param name the port's link name, e.g. {@code opte0}
 * @param mac the guest's MAC address
 * @param ip4 the private IPv4 address, if the port has IPv4
 * @param ephemeralIp4 the ephemeral external IPv4 address
 * @param floatingIp4s the floating external IPv4 addresses
 * @param ip6 the private IPv6 address, if the port has IPv6
 * @param ephemeralIp6 the ephemeral external IPv6 address
 * @param floatingIp6s the floating external IPv6 addresses
 * @param state the port's state as OPTE prints it: {@code ready}, {@code running}, {@code paused}
 *     or {@code restored}
 */
public record PortInfo(
    String name,
    MacAddr mac,
    Optional<Ipv4Addr> ip4,
    Optional<Ipv4Addr> ephemeralIp4,
    Optional<List<Ipv4Addr>> floatingIp4s,
    Optional<Ipv6Addr> ip6,
    Optional<Ipv6Addr> ephemeralIp6,
    Optional<List<Ipv6Addr>> floatingIp6s,
    String state) {

  /** The one state in which a port passes traffic and accepts ClearUft. */
  public static final String RUNNING = "running";

  /**
   * The longest link name illumos allows ({@code MAXLINKNAMELEN} is 32 with the NUL); XDE's ports
   * are datalinks named by dladm.
   */
  public static final int MAX_NAME_BYTES = 31;

  public PortInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(state, "state");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("port name is empty");
    }
    if (state.isEmpty()) {
      throw new IllegalArgumentException(
          "state of port '" + Values.abbreviate(name) + "' is empty");
    }
    ip4 = Objects.requireNonNull(ip4, "ip4");
    ephemeralIp4 = Objects.requireNonNull(ephemeralIp4, "ephemeralIp4");
    floatingIp4s = Objects.requireNonNull(floatingIp4s, "floatingIp4s").map(List::copyOf);
    ip6 = Objects.requireNonNull(ip6, "ip6");
    ephemeralIp6 = Objects.requireNonNull(ephemeralIp6, "ephemeralIp6");
    floatingIp6s = Objects.requireNonNull(floatingIp6s, "floatingIp6s").map(List::copyOf);
  }

  /**
   * A port as XDE creates it for a guest NIC with one private address and no external IPs: that
   * address's family has no ephemeral IP and an empty floating list, the other family none at all.
   */
  public static PortInfo of(String name, MacAddr mac, IpAddr privateIp, String state) {
    boolean v4 = privateIp instanceof Ipv4Addr;
    return new PortInfo(
        name,
        mac,
        v4 ? Optional.of((Ipv4Addr) privateIp) : Optional.empty(),
        Optional.empty(),
        v4 ? Optional.of(List.of()) : Optional.empty(),
        v4 ? Optional.empty() : Optional.of((Ipv6Addr) privateIp),
        Optional.empty(),
        v4 ? Optional.empty() : Optional.of(List.of()),
        state);
  }

  /**
   * What identifies the guest NIC behind a port: its MAC and private addresses (XDE installs and
   * removes the V2P entry of those); the port's state and external IPs aside.
   */
  public record Nic(MacAddr mac, Optional<Ipv4Addr> ip4, Optional<Ipv6Addr> ip6) {}

  /** This port's {@link Nic}. */
  public Nic nic() {
    return new Nic(mac, ip4, ip6);
  }

  /** Whether the port is running (passes traffic, accepts ClearUft). */
  public boolean isRunning() {
    return RUNNING.equals(state);
  }

  /**
   * Checks a port name given by an operator: 1 to {@value #MAX_NAME_BYTES} bytes of UTF-8, no
   * whitespace or control characters (a datalink name such as {@code opte0}).
   *
   * @return {@code text}
   * @throws IllegalArgumentException saying why not
   */
  public static String checkName(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("port name is empty");
    }
    if (text.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException(
          "port name '"
              + Values.abbreviate(text)
              + "' is longer than "
              + MAX_NAME_BYTES
              + " bytes (a datalink name)");
    }
    if (text.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          "port name '" + Values.abbreviate(text) + "' has a space or control character");
    }
    return text;
  }
}
