package dev.v2pledger.schema.testing;

import dev.v2pledger.schema.domain.EventId;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.time.Instant;
import java.util.List;

/** One event of every type, with fixed ids, for codec and round-trip tests. */
public final class SampleEvents {
  public static final InstanceId INSTANCE =
      InstanceId.parse("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6");
  public static final NicId NIC = NicId.parse("11111111-2222-4333-8444-555555555555");
  public static final VmmId VMM_A = VmmId.parse("aaaaaaaa-0000-4000-8000-00000000000a");
  public static final VmmId VMM_B = VmmId.parse("bbbbbbbb-0000-4000-8000-00000000000b");
  public static final SledId SLED_1 = SledId.parse("51ed0001-0000-4000-8000-000000000001");
  public static final SledId SLED_2 = SledId.parse("51ed0002-0000-4000-8000-000000000002");
  public static final MigrationId MIGRATION =
      MigrationId.parse("319a7100-0000-4000-8000-000000000001");

  private SampleEvents() {}

  /** Every payload type once, in a plausible order. */
  public static List<InstanceEvent> everyType() {
    return List.of(
        event(
            new EventPayload.NicAttached(
                NIC,
                new Vni(7777),
                MacAddr.parse("a8:40:25:f1:6e:6f"),
                List.of(IpAddr.parse("172.30.0.5"), IpAddr.parse("fd77::5")),
                12)),
        event(new EventPayload.VmmPlaced(VMM_A, SLED_1, Ipv6Addr.parse("fd00:1122:3344:101::1"))),
        event(
            new EventPayload.MigrationStarted(
                MIGRATION, VMM_A, VMM_B, SLED_2, Ipv6Addr.parse("fd00:1122:3344:102::1"))),
        event(
            new EventPayload.MigrationReported(
                MIGRATION, MigrationSide.TARGET, MigrationState.COMPLETED, 3)),
        event(new EventPayload.VmmReported(VMM_A, VmmState.DESTROYED, 5)),
        event(new EventPayload.NicDetached(NIC)),
        event(new EventPayload.InstanceDeleted()));
  }

  /**
   * An event with every optional envelope field set ({@code instance_gen} on Nexus' events only,
   * where it may be).
   */
  public static InstanceEvent event(EventPayload payload) {
    boolean nexus = payload.type().publishedByNexus();
    return new InstanceEvent(
        EventId.parse(
            "e0e0e0e0-0000-4000-8000-0000000000" + String.format("%02d", payload.type().ordinal())),
        INSTANCE,
        Instant.parse("2026-11-23T20:15:00.123456Z"),
        nexus ? "nexus" : "sled-agent/" + SLED_1,
        payload,
        nexus ? 40L + payload.type().ordinal() : null);
  }
}
