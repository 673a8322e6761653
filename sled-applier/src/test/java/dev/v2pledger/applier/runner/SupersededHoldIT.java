package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A rolled-back upgrade against a real broker (DESIGN "Sled applier", superseded): a newer
 * projector wrote a record this applier cannot decode, and whose schema never reaches {@code
 * v2p.schemas} (its registration was refused); the older projector, back, writes the key again.
 * Compaction will keep only that later record, so the applier stops holding the undecodable one
 * when it reads it: no operator skip, and again after a restart, which reads both (skips are not
 * written down; this needs none). Passes run every hour here: only the pass the end of the hold
 * asks for can issue the clear it withheld.
 */
@WithKafka
class SupersededHoldIT extends UpgradesOnKafka {
  private static final Duration HOURLY = Duration.ofHours(1);

  SupersededHoldIT(KafkaCluster kafka) {
    super(kafka);
  }

  @Test
  void aHeldRecordReplacedByItsKeysLaterRecord_holdsNoMore_andTheWithheldClearIsIssued()
      throws Exception {
    Vni vni = new Vni(3020);
    Vip stale = vip(vni, "10.3.20.1");
    Vip moved = vip(vni, "10.3.20.2");
    write(0, cleared(stale, 1, 2), current(cleared(stale, 1, 2)));
    V2PMapping newer = set(moved, 1, 2, T);
    long held = write(0, newer, next("rolledBack", newer)); // never registered
    SimulatedXde device = device();
    device.set(entry(stale, S)); // left from before: desired has it CLEARED
    SledApplier applier = start(U.id(), device, new SimpleMeterRegistry(), HOURLY);
    await().atMost(DEADLINE).until(() -> applier.status().passes() >= 1);
    assertThat(applier.readinessProblem()).contains("holding 1 record(s)").contains("0@" + held);
    assertThat(device.table()).as("the clear is withheld while held").containsKey(stale);

    long later = write(0, set(moved, 1, 3, S), current(set(moved, 1, 3, S))); // older, back

    await().atMost(DEADLINE).until(() -> !device.table().containsKey(stale));
    await().atMost(DEADLINE).until(applier::isReady);
    assertThat(device.table()).containsEntry(moved, entry(moved, S));
    await().atMost(DEADLINE).until(() -> applier.status().acked().getOrDefault(0, 0L) > later);
    applier.close();

    device.set(entry(stale, S)); // the stale entry again, for a restarted applier to clear
    SledApplier restarted = start(U.id(), device, new SimpleMeterRegistry(), HOURLY);
    await().atMost(DEADLINE).until(restarted::isReady);
    await().atMost(DEADLINE).until(() -> !device.table().containsKey(stale));
    assertThat(device.table()).containsEntry(moved, entry(moved, S));
  }

  /**
   * Only its key's later record in its own partition replaces a held record: one of another key, or
   * of its key in another partition (no order against it), leaves it held; its key's record in its
   * own partition then ends the hold.
   */
  @Test
  void aRecordOfAnotherKeyOrPartition_leavesItHeld() throws Exception {
    Vni vni = new Vni(3021);
    Vip moved = vip(vni, "10.3.21.1");
    V2PMapping newer = set(moved, 1, 2, T);
    long held = write(0, newer, next("stillHeld", newer));
    SimulatedXde device = device();
    SledApplier applier = start(U.id(), device, new SimpleMeterRegistry(), HOURLY);
    await().atMost(DEADLINE).until(() -> applier.status().passes() >= 1);

    write(1, set(moved, 1, 3, S), current(set(moved, 1, 3, S)));
    write(0, set(vip(vni, "10.3.21.2"), 1, 1, S), current(set(vip(vni, "10.3.21.2"), 1, 1, S)));
    await()
        .atMost(DEADLINE)
        .until(() -> device.table().containsKey(vip(vni, "10.3.21.2")) && !applier.isReady());
    assertThat(applier.readinessProblem()).contains("holding 1 record(s)").contains("0@" + held);

    write(0, set(moved, 1, 4, S), current(set(moved, 1, 4, S))); // its key, its partition
    await().atMost(DEADLINE).until(applier::isReady); // (and the log holds nothing for the next)
  }
}
