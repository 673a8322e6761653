package dev.v2pledger.devstack.oracle;

import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;

/** Where an instance runs: its active VMM and that VMM's sled. */
public record Placement(VmmId vmm, SledId sled, Ipv6Addr underlay) {}
