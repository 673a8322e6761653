package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * DESIGN "Bounds" against a real broker: a buggy Nexus that attaches far more NICs to one instance
 * than a rack allows must not make the instance's state record larger than the changelog takes.
 * Before the NIC bound, the state of 120 NICs of 256 IPv6 addresses (1 053 217 bytes) failed every
 * commit of its partition: the runner gave up, and no instance of that partition was updated again.
 */
@WithKafka
class LargeStateIT {
  private static final int NICS = 120;

  @Test
  void aFloodOfNicsIsBoundedAndThePartitionKeepsMoving(KafkaCluster kafka) {
    try (Harness harness = new Harness(kafka, "large-state", 1, "large-state")) {
      InstanceId flooded = InstanceId.parse("aaaaaaaa-0000-4000-8000-0000000000f1");
      InstanceId neighbour = InstanceId.parse("bbbbbbbb-0000-4000-8000-0000000000f2");
      List<InstanceEvent> events = new ArrayList<>();
      for (int n = 0; n < NICS; n++) {
        events.add(fullNic(flooded, n));
      }
      events.add(Events.placed(flooded, 1));
      harness.publish(events);
      harness.startReady("p1");
      harness.publish(List.of(Events.attached(neighbour, "10.8.0.1", 1)));
      harness.publish(List.of(Events.placed(neighbour, 2)));

      harness.awaitCaughtUp();
      Map<Vip, V2PMapping> inForce =
          MappingTable.of(harness.mappings().stream().map(ProjectedMapping::mapping).toList())
              .inForce();
      assertThat(inForce.values().stream().filter(m -> m.instanceId().equals(neighbour)))
          .as("the neighbour in the same partition is placed")
          .hasSize(1);
      assertThat(inForce.values().stream().filter(m -> m.instanceId().equals(flooded)))
          .as("the flooded instance's pairs: those of the NICs the bound admits")
          .hasSize(InstanceState.Bounds.NICS * EventPayload.NicAttached.MAX_IPS);
      assertThat(inForce).isEqualTo(harness.oracle().inForce());
      assertThat(harness.changelog().get(flooded).nics()).hasSize(InstanceState.Bounds.NICS);
    }
  }

  /** NIC {@code n} of {@code instance}, with the most IPv6 addresses a NIC may have. */
  private static InstanceEvent fullNic(InstanceId instance, int n) {
    List<IpAddr> ips = new ArrayList<>();
    for (int i = 0; i < EventPayload.NicAttached.MAX_IPS; i++) {
      ips.add(IpAddr.parse(String.format("fd77:1234:5678:9abc:def0:%04x:%04x:%04x", n, i, n + i)));
    }
    return InstanceEvent.of(
        instance,
        new EventPayload.NicAttached(
            new NicId(new UUID(0xfeedL, n)),
            new Vni(7777),
            new MacAddr(0xa84025000000L + n),
            ips,
            1));
  }
}
