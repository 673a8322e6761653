package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;

/** A VMM and the sled (with its underlay address) it runs on. */
public record PlacedVmm(VmmId vmmId, SledId sledId, Ipv6Addr sledUnderlayIp) {}
