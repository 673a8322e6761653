package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a hold keeps of the device's entry for a held record's VIP. */
class HeldEntryTest {
  static final Vip A = vip("172.30.0.5");

  /**
   * An applier that decoded A's newest record (on T) and set it stops; it starts again while that
   * record cannot be decoded (the registry away, or a build rolled back that lacks its schema). Its
   * key's earlier record (on S) is still in the log (compaction has not run) and decodes. The held
   * record may be the newer: the pass must not replace XDE's T by S.
   */
  @Test
  void restartedWhileTheNewestRecordIsHeld_thePassKeepsTheDevicesEntry() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 1, S), set(A, 1, 2, T)));
    assertThat(sled.device.table()).containsEntry(A, entry(A, T));

    sled.restart();
    sled.engine.offer(set(A, 1, 1, S), 0, 0);
    sled.hold(set(A, 1, 2, T), 0, 1);
    sled.engine.advance(0, 2);
    sled.engine.completeSnapshot();
    sled.engine.reconcile();

    assertThat(sled.device.table()).containsEntry(A, entry(A, T));
  }

  /**
   * As above, A's newest record held on restart (a newer allocation, epoch 2, on T); a record of
   * A's older allocation (epoch 1, its partition lagging) arrives after the snapshot. The held
   * allocation outranks it whatever it says: neither its delta nor a pass replaces T.
   */
  @Test
  void anOlderAllocationsRecordAfterTheSnapshot_doesNotReplaceTheHeldAllocationsEntry() {
    EngineFixture sled = new EngineFixture(U);
    sled.device.set(entry(A, T)); // the previous run applied the epoch-2 record
    sled.hold(set(A, 2, 1, T), 0, 0);
    sled.engine.advance(0, 1);
    sled.engine.completeSnapshot();
    sled.engine.reconcile();

    sled.engine.offer(set(A, 1, 5, S), 1, 0);
    sled.engine.advance(1, 1);
    assertThat(sled.device.table()).containsEntry(A, entry(A, T));
    sled.engine.reconcile();
    assertThat(sled.device.table()).containsEntry(A, entry(A, T));
    assertThat(sled.engine.unpublishedAcks()).as("neither partition passes its record").isEmpty();

    sled.engine.resolve(0, 0); // an operator skips the held record
    sled.endHolds();
    assertThat(sled.device.table()).containsEntry(A, entry(A, S));
  }

  /**
   * Sets go on for a held record's VIP once desired's record is proven at least as new: its key's
   * record read after it in its partition, or a newer allocation's; and a missing entry is set.
   */
  @Test
  void aHeldRecordsVip_isSetWhenDesiredIsProvenNewer_orTheDeviceLacksIt() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 1, S), set(B, 1, 1, S)));
    sled.hold(set(A, 1, 2, T), 0, 2);
    sled.hold(set(B, 1, 2, T), 0, 3);
    sled.device.clear(B); // the device lost B: nothing there to keep

    sled.engine.offer(set(A, 1, 3, U), 0, 4); // A's key, after its held record
    sled.engine.advance(0, 5);
    assertThat(sled.device.table()).containsEntry(A, entry(A, U));
    sled.engine.reconcile();
    assertThat(sled.device.table()).containsEntry(B, entry(B, S));

    sled.device.set(entry(A, T));
    sled.engine.offer(set(A, 2, 1, S), 1, 0); // a newer allocation
    sled.engine.advance(1, 1);
    assertThat(sled.device.table()).containsEntry(A, entry(A, S));
  }

  static final Vip B = vip("172.30.0.6");
}
