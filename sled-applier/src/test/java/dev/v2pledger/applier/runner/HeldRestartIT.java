package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import org.junit.jupiter.api.Test;

/**
 * An applier started while its key's newest record cannot be decoded (its schema not in {@code
 * v2p.schemas} for this reader: the registry away, or a build rolled back that lacks it), against a
 * real broker: the key's older record, still in the log, must not replace on the device the entry
 * an earlier run set from the newest one (HeldEntryTest has the rule).
 */
@WithKafka
class HeldRestartIT extends UpgradesOnKafka {
  HeldRestartIT(KafkaCluster kafka) {
    super(kafka);
  }

  @Test
  void startedWhileTheNewestRecordIsHeld_theDeviceKeepsItsEntry_untilItDecodes() throws Exception {
    Vip moved = vip(new Vni(3010), "10.3.10.1");
    write(0, set(moved, 1, 1, S), current(set(moved, 1, 1, S)));
    long held = write(0, set(moved, 1, 2, T), next("moved", set(moved, 1, 2, T)));
    SimulatedXde device = device();
    device.set(entry(moved, T)); // what the earlier run, which could decode it, set
    int mark = device.mutationCount();

    SledApplier applier = start(device);
    await().atMost(DEADLINE).until(() -> applier.status().passes() >= 2);
    assertThat(applier.readinessProblem()).contains("holding 1 record(s)").contains("0@" + held);
    assertThat(device.table()).containsEntry(moved, entry(moved, T));
    assertThat(device.mutationsSince(mark)).as("nothing written over it").isEmpty();

    register(kafka, "moved");
    await().atMost(DEADLINE).until(applier::isReady);
    assertThat(device.table()).containsEntry(moved, entry(moved, T));
  }
}
