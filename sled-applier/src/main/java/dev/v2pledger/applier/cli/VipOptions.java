package dev.v2pledger.applier.cli;

import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import picocli.CommandLine.Option;

/** The VIP an {@code xde} command acts on: {@code --vni} and {@code --ip} (a picocli mixin). */
final class VipOptions {
  @Option(names = "--vni", required = true, paramLabel = "N", description = "VNI, 0..16777215")
  Vni vni;

  @Option(names = "--ip", required = true, paramLabel = "IP", description = "the VIP, IPv4 or IPv6")
  IpAddr ip;

  Vip vip() {
    return new Vip(vni, ip);
  }
}
