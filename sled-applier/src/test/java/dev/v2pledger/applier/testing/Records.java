package dev.v2pledger.applier.testing;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Instant;

/** Projected records and sleds for applier tests, as the projector would write them. */
public final class Records {
  public static final Vni VNI = new Vni(7777);
  public static final Vni SERVICES = Vni.SERVICES;
  private static final InstanceId INSTANCE =
      InstanceId.parse("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6");
  private static final NicId NIC = NicId.parse("11111111-2222-4333-8444-555555555555");

  /** A sled: its id and underlay address. */
  public record Sled(SledId id, Ipv6Addr underlay) {
    public static Sled number(int n) {
      return new Sled(
          SledId.parse(String.format("51ed0000-0000-4000-8000-%012d", n)),
          Ipv6Addr.parse("fd00:1122:3344:" + (100 + n) + "::1"));
    }
  }

  public static final Sled S = Sled.number(1);
  public static final Sled T = Sled.number(2);
  public static final Sled U = Sled.number(3);

  private Records() {}

  public static Vip vip(String ip) {
    return new Vip(VNI, IpAddr.parse(ip));
  }

  public static Vip vip(Vni vni, String ip) {
    return new Vip(vni, IpAddr.parse(ip));
  }

  /** The guest MAC of a VIP: derived from its IP so every record of one VIP agrees. */
  public static MacAddr macOf(Vip vip) {
    byte[] ip = vip.ip().toBytes();
    return MacAddr.fromBytes(
        new byte[] {
          (byte) 0xa8, 0x40, 0x25, ip[ip.length - 3], ip[ip.length - 2], ip[ip.length - 1]
        });
  }

  public static V2PMapping set(Vip vip, long epoch, long gen, Sled on) {
    return V2PMapping.set(
        MappingKey.of(vip, epoch),
        new V2PTarget(macOf(vip), on.underlay(), on.id()),
        INSTANCE,
        NIC,
        gen);
  }

  public static V2PMapping cleared(Vip vip, long epoch, long gen) {
    return V2PMapping.cleared(MappingKey.of(vip, epoch), INSTANCE, NIC, gen);
  }

  /** What the device holds when {@code vip} lives on {@code sled}. */
  public static XdeMapping entry(Vip vip, Sled on) {
    return new XdeMapping(vip, macOf(vip), on.underlay());
  }

  public static ProjectedMapping projected(V2PMapping mapping) {
    return new ProjectedMapping(
        mapping, new EventPosition(0, 0, Instant.parse("2025-01-01T00:00:00Z")));
  }
}
