package dev.v2pledger.schema.codec;

import static dev.v2pledger.schema.testing.SampleEvents.INSTANCE;
import static dev.v2pledger.schema.testing.SampleEvents.MIGRATION;
import static dev.v2pledger.schema.testing.SampleEvents.NIC;
import static dev.v2pledger.schema.testing.SampleEvents.SLED_1;
import static dev.v2pledger.schema.testing.SampleEvents.VMM_A;
import static dev.v2pledger.schema.testing.SampleEvents.VMM_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.jsonl.JsonlWriter;
import dev.v2pledger.schema.testing.Seeds;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * An IPv6 value in the IPv4-mapped range ({@code ::ffff:a.b.c.d}) prints as text that this project
 * reads as the IPv4 address (DESIGN: IPs are canonicalized on read), so an event or mapping made
 * with one would read back as another (a VIP) or not at all (an underlay address, which must be
 * IPv6: a dead letter). Such a value is refused where the event or mapping is made.
 */
class MappedAddressTest {
  private static final RecordOrigin ORIGIN = RecordOrigin.of("v2p.events", 0, 0);
  private static final Vni VNI = new Vni(7777);
  private static final MacAddr MAC = MacAddr.parse("a8:40:25:f1:6e:6f");

  private final EventCodec codec = new EventCodec();

  @Test
  void givenAnIpv4MappedIpv6Address_thenEventsAndMappingsRefuseIt() {
    Ipv6Addr mapped = new Ipv6Addr(0, 0xffff_ac1e_0005L); // ::ffff:172.30.0.5
    assertThat(IpAddr.parse(mapped.toString())).isEqualTo(Ipv4Addr.parse("172.30.0.5"));

    List<Function<Ipv6Addr, Object>> makers =
        List.of(
            ip -> new EventPayload.VmmPlaced(VMM_A, SLED_1, ip),
            ip -> new EventPayload.MigrationStarted(MIGRATION, VMM_A, VMM_B, SLED_1, ip),
            ip -> new EventPayload.NicAttached(NIC, VNI, MAC, List.of(ip), 1),
            ip -> new MappingKey(VNI, ip, 1),
            ip -> new V2PTarget(MAC, ip, SLED_1));
    for (Function<Ipv6Addr, Object> maker : makers) {
      assertThatThrownBy(() -> maker.apply(mapped))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("IPv4-mapped")
          .hasMessageContaining("172.30.0.5");
    }
  }

  @Test
  void givenAnyIpv6AddressAnEventIsMadeWith_thenItReadsBackAsMadeFromAvroAndJsonLines() {
    long seed = Seeds.pick("MappedAddressTest");
    Random random = new Random(seed);
    for (int i = 0; i < 5_000; i++) {
      // often in and around ::ffff:0:0/96, the range whose text reads as IPv4
      long low = random.nextBoolean() ? (long) random.nextInt(4) << 32 | 0xffff_0000_0000L : 0;
      Ipv6Addr ip =
          new Ipv6Addr(
              random.nextInt(3) == 0 ? 0 : random.nextLong(),
              low | random.nextInt() & 0xffff_ffffL);
      InstanceEvent placed;
      InstanceEvent attached;
      try {
        placed = InstanceEvent.of(INSTANCE, new EventPayload.VmmPlaced(VMM_A, SLED_1, ip));
        attached =
            InstanceEvent.of(INSTANCE, new EventPayload.NicAttached(NIC, VNI, MAC, List.of(ip), 1));
      } catch (IllegalArgumentException refused) {
        continue;
      }
      for (InstanceEvent event : List.of(placed, attached)) {
        try {
          assertThat(codec.decode(codec.encode(event), ORIGIN)).isEqualTo(event);
          assertThat(JsonlReader.parseLine(JsonlWriter.toLine(event, null), 1).event())
              .isEqualTo(event);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError(Seeds.replay(seed) + ", address " + ip, e);
        }
      }
    }
  }
}
