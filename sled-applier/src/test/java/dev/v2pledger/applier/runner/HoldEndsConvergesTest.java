package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.reconcile.Desired;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Liveness of the hold's rules (a held record's VIP keeps its entry, a record held past a cut holds
 * until read again): once the hold ends, however it ends, the next pass makes the device equal to
 * desired, a drifted entry of the held record's VIP too. Each case starts as HeldEntryTest's
 * restart: desired has A's older record (on S), A's newest is held, the device has T, an earlier
 * run's, and has drifted for A to U while the hold keeps it.
 */
class HoldEndsConvergesTest {
  static final Vip A = vip("172.30.0.5");
  static final Vip B = vip("172.30.0.6");

  private EngineFixture heldOnRestart() {
    EngineFixture sled = new EngineFixture(U);
    sled.device.set(entry(A, T));
    sled.device.set(entry(B, T)); // desired lacks B: a clear, withheld while anything is held
    sled.engine.offer(set(A, 1, 1, S), 0, 0);
    sled.hold(set(A, 1, 2, T), 0, 1);
    sled.engine.advance(0, 2);
    sled.engine.completeSnapshot();
    sled.engine.reconcile();
    sled.device.set(entry(A, U)); // drift: kept while A's newest record is held
    sled.engine.reconcile();
    assertThat(sled.device.table()).containsEntry(A, entry(A, U)).containsKey(B);
    return sled;
  }

  @Test
  void theHeldRecordDecodes_setOrCleared_theDeviceConverges() {
    for (V2PMapping late : List.of(set(A, 1, 2, T), cleared(A, 1, 2))) {
      EngineFixture sled = heldOnRestart();
      assertThat(sled.decodeLate(late, 0, 1)).isNotNull();
      sled.endHolds(); // the pass the end of the hold asks for
      assertConverged(sled);
      assertThat(sled.engine.desired().newest(A)).isEqualTo(late);
    }
  }

  @Test
  void theHeldRecordDecodesButCameBeforeItsKeysLaterRecord_theDeviceConverges() {
    EngineFixture sled = heldOnRestart();
    sled.engine.offer(set(A, 1, 3, S), 0, 2); // supersedes it
    sled.engine.advance(0, 3);
    sled.decodeLate(set(A, 1, 2, T), 0, 1);
    sled.endHolds();
    assertConverged(sled);
    assertThat(sled.device.table()).containsEntry(A, entry(A, S));
  }

  @Test
  void aNewerAllocationSupersedesIt_theVipConvergesWhileStillHeld_theRestOnceSkipped() {
    EngineFixture sled = heldOnRestart();
    sled.engine.offer(set(A, 2, 1, S), 1, 0);
    sled.engine.advance(1, 1);
    sled.engine.reconcile();
    assertThat(sled.device.table()).containsEntry(A, entry(A, S));
    sled.engine.resolve(0, 1); // an operator skips it
    sled.endHolds();
    assertConverged(sled);
  }

  @Test
  void anOperatorSkipsIt_theDeviceConverges() {
    EngineFixture sled = heldOnRestart();
    sled.engine.resolve(0, 1);
    sled.endHolds();
    assertConverged(sled);
    assertThat(sled.device.table()).containsEntry(A, entry(A, S));
  }

  @Test
  void cutFromTheLog_thenTheReaderIsPastItsOffsetAgain_theDeviceConverges() {
    EngineFixture sled = heldOnRestart();
    sled.engine.advance(0, 1); // the log cut at 1
    sled.engine.reconcile();
    assertThat(sled.device.table()).as("still held").containsEntry(A, entry(A, U));
    sled.engine.advance(0, 2); // no record there now
    assertThat(sled.engine.held()).isEmpty();
    sled.engine.reconcile();
    assertConverged(sled);
  }

  @Test
  void cutFromTheLog_thenADecodableRecordIsReadAtItsOffset_theDeviceConverges() {
    EngineFixture sled = heldOnRestart();
    sled.engine.advance(0, 1);
    sled.engine.offer(set(A, 1, 2, S), 0, 1); // what the new log has there
    sled.engine.advance(0, 2);
    sled.engine.reconcile();
    assertConverged(sled);
    assertThat(sled.device.table()).containsEntry(A, entry(A, S));
  }

  private static void assertConverged(EngineFixture sled) {
    assertThat(sled.engine.withheld()).isNull();
    Map<Vip, XdeMapping> expected = new HashMap<>();
    for (Vip vip : List.of(A, B)) {
      V2PMapping newest = sled.engine.desired().newest(vip);
      if (newest != null && newest.isSet()) {
        expected.put(vip, Desired.entryOf(newest));
      }
    }
    assertThat(sled.device.table()).isEqualTo(expected);
    assertThat(sled.engine.lastPass().ok()).as("%s", sled.engine.lastPass()).isTrue();
  }
}
