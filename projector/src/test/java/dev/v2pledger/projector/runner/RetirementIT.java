package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * DESIGN "Bounded growth" against a real broker: a released allocation's key and a deleted
 * instance's state get tombstones after the grace period, in the projector's transactions, and a
 * projector started afterwards restores without them.
 */
@WithKafka
class RetirementIT {

  private static boolean tombstoned(List<ConsumerRecord<byte[], byte[]>> records, String key) {
    return records.stream()
        .anyMatch(
            r -> r.value() == null && key.equals(new String(r.key(), StandardCharsets.UTF_8)));
  }

  @Test
  void releasedKeysAndDeletedStatesAreRemovedAfterTheGracePeriod(KafkaCluster kafka) {
    try (Harness harness = new Harness(kafka, "retire", 2, "retire")) {
      InstanceId kept = InstanceId.parse("aaaaaaaa-0000-4000-8000-0000000000a1");
      InstanceId gone = InstanceId.parse("bbbbbbbb-0000-4000-8000-0000000000b2");
      harness.publish(
          List.of(
              Events.attached(kept, "10.7.0.1", 1),
              Events.placed(kept, 1),
              Events.attached(gone, "10.7.0.2", 2),
              Events.placed(gone, 2),
              Events.detached(kept),
              InstanceEvent.of(gone, new EventPayload.InstanceDeleted())));
      Projector projector =
          harness.start(harness.config("p1", c -> c.retireAfter(Duration.ofSeconds(1))));
      harness.awaitCaughtUp();

      await()
          .atMost(Harness.DEADLINE)
          .until(
              () ->
                  tombstoned(harness.readAll(harness.topics().mappings()), "7777/10.7.0.1/1")
                      && tombstoned(harness.readAll(harness.topics().mappings()), "7777/10.7.0.2/2")
                      && tombstoned(
                          harness.readAll(harness.topics().instanceState()), gone.toString()));
      assertThat(
              dev.v2pledger.schema.domain.MappingTable.of(
                      harness.mappings().stream()
                          .map(dev.v2pledger.schema.domain.ProjectedMapping::mapping)
                          .toList())
                  .inForce())
          .isEqualTo(harness.oracle().inForce())
          .isEmpty();
      await().atMost(Harness.DEADLINE).until(() -> projector.status().instances() == 1);
      projector.close();

      Projector next = harness.startReady("p2");
      // ready means the partitions it holds so far are restored, and a member's first
      // assignment may be none or some: what it restored is judged once it holds both
      await()
          .atMost(Harness.DEADLINE)
          .until(() -> next.status().assigned().size() == 2 && next.readinessProblem() == null);
      assertThat(next.status().instances()).isEqualTo(1);
      assertThat(harness.changelog()).containsOnlyKeys(kept);
      assertThat(harness.changelog().get(kept).retired()).isEmpty();
    }
  }
}
