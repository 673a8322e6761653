package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.reconcile.PassResult;
import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN "Sled applier", superseded: a held record stops being held when its key's later record or
 * tombstone is read in its partition (compaction keeps only that one); nothing else ends it but its
 * decoding or a skip. The record that never decodes here (a schema no registry will ever have) is
 * the point: before this rule only an operator's skip ended its hold, on every start.
 */
class SupersededHoldTest {
  private static final Vip A = vip("10.8.0.1");
  private static final Vip STALE = vip("10.8.0.9");

  /** A sled whose device has a stale entry desired holds CLEARED, and A's record held at 0@2. */
  private static EngineFixture aSledHoldingA() {
    EngineFixture sled = new EngineFixture(U);
    sled.device.set(entry(STALE, S));
    sled.offer(set(A, 1, 1, S), cleared(STALE, 1, 2));
    sled.hold(set(A, 1, 2, T), 0, 2);
    sled.engine.advance(0, 3);
    sled.engine.completeSnapshot();
    sled.engine.reconcile();
    assertThat(sled.device.table()).as("withheld while held").containsKey(STALE);
    return sled;
  }

  @Test
  void itsKeysLaterRecordInItsPartition_endsTheHold_theWithheldClearAndTheAckFollow() {
    EngineFixture sled = aSledHoldingA();

    sled.engine.offer(set(A, 1, 3, S), 0, 3);
    sled.engine.advance(0, 4);

    assertThat(sled.engine.held()).isEmpty();
    assertThat(sled.engine.withheld()).isNull();
    assertThat(sled.engine.takeHoldEnded()).as("the loop asks for a pass").isTrue();
    assertThat(sled.engine.takeHoldEnded()).as("once").isFalse();
    sled.engine.reconcile();
    assertThat(sled.device.table()).doesNotContainKey(STALE).containsEntry(A, entry(A, S));
    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 4L));
  }

  /**
   * A hold from the start with a clear withheld (DESIGN "Sled applier", acks): no pass has
   * succeeded, and a pass's withheld clear names no record's position to hold one partition at, so
   * no partition is acked, not even one the held record is not in, until the hold ends and a pass
   * succeeds. (After a device-wide failure the holds its deltas took stand, and a pass that
   * withheld nothing else is enough: EngineTest.)
   */
  @Test
  void aHoldFromTheStart_withAClearWithheld_acksNoPartition_untilItEnds() {
    EngineFixture sled = aSledHoldingA();
    sled.engine.offer(set(vip("10.8.0.3"), 1, 1, S), 1, 0); // another partition, nothing held
    sled.engine.advance(1, 1);
    PassResult pass = sled.engine.reconcile();
    assertThat(pass.withheld()).isPositive();
    assertThat(pass.failed()).isZero();
    assertThat(sled.engine.unpublishedAcks()).as("no pass succeeded yet").isEmpty();

    sled.engine.offer(set(A, 1, 3, S), 0, 3); // replaces the held record: its hold ends
    sled.engine.advance(0, 4);
    assertThat(sled.engine.reconcile().ok()).isTrue();

    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 4L, 1, 1L));
  }

  @Test
  void itsKeysTombstoneInItsPartition_endsTheHold() {
    EngineFixture sled = aSledHoldingA();

    sled.engine.offer(cleared(A, 1, 3), 0, 3);
    sled.engine.retire(cleared(A, 1, 3).key(), 3, 0, 4);

    assertThat(sled.engine.held()).isEmpty();
    sled.engine.reconcile();
    assertThat(sled.device.table()).doesNotContainKey(STALE).doesNotContainKey(A);
  }

  @Test
  void itsKeysLaterRecordHeldToo_replacesIt_oneHoldRemains() {
    EngineFixture sled = aSledHoldingA();

    sled.hold(set(A, 1, 3, T), 0, 3);

    assertThat(sled.engine.held()).extracting(Holds.Held::where).containsExactly("0@3");
    assertThat(sled.engine.withheld()).contains("holding 1 record(s)");
  }

  @Test
  void anotherKeysRecord_orItsKeysRecordInAnotherPartition_leaveItHeld() {
    EngineFixture sled = aSledHoldingA();

    sled.engine.offer(set(vip("10.8.0.2"), 1, 1, S), 0, 3); // another key
    sled.engine.offer(set(A, 1, 3, S), 1, 0); // its key, another partition: no order against it

    assertThat(sled.engine.held()).extracting(Holds.Held::where).containsExactly("0@2");
    assertThat(sled.engine.takeHoldEnded()).isFalse();
  }

  /**
   * The log cut under the reader (an unclean leader election) takes away the record that replaced
   * the held one: the held record is its key's last record in its partition again, which compaction
   * keeps, so an applier reading the log now holds it. This one must too: no clear, no ack past it.
   */
  @Test
  void theLogCutBelowWhatReplacedIt_holdsItAgain() {
    EngineFixture sled = aSledHoldingA();
    sled.engine.offer(set(A, 1, 3, S), 0, 3);
    sled.engine.advance(0, 4);
    assertThat(sled.engine.held()).as("replaced").isEmpty();

    sled.engine.advance(0, 3); // the log was cut: 0@3 is gone, 0@2 (held) is A's last record
    sled.engine.reconcile();

    assertThat(sled.engine.withheld()).as("0@2 is held again").isNotNull();
    assertThat(sled.device.table()).as("no clear while it is held").containsKey(STALE);
    assertThat(sled.engine.unpublishedAcks().getOrDefault(0, -1L))
        .as("the ack stays before 0@2")
        .isLessThanOrEqualTo(2L);
  }

  /**
   * The reader went back below what replaced the held record, but the log still has it: held again,
   * the record is not applied when it decodes (the replacement read before may still be there), and
   * reading the replacement again ends its hold; A keeps the replacement's entry.
   */
  @Test
  void readAgainBelowWhatReplacedIt_heldAgainButNeverApplied_untilReadPastIt() {
    EngineFixture sled = aSledHoldingA();
    sled.engine.offer(set(A, 1, 3, S), 0, 3);
    sled.engine.advance(0, 4);
    sled.engine.reconcile();

    sled.engine.advance(0, 3);
    assertThat(sled.decodeLate(set(A, 1, 2, T), 0, 2)).as("not applied now").isNull();
    sled.engine.offer(set(A, 1, 3, S), 0, 3); // read again
    sled.engine.advance(0, 4);
    sled.engine.reconcile();

    assertThat(sled.engine.held()).isEmpty();
    assertThat(sled.device.table()).containsEntry(A, entry(A, S)).doesNotContainKey(STALE);
  }

  /**
   * Held again after each of two cuts (what replaced it read again between them): its reason, which
   * /readyz and the log lines show, says once why it is held again, not once per cut.
   */
  @Test
  void heldAgainTwice_itsReasonSaysItOnce() {
    EngineFixture sled = aSledHoldingA();
    String first = sled.engine.held().get(0).error();
    for (int cut = 0; cut < 2; cut++) {
      sled.engine.offer(set(A, 1, 3, S), 0, 3);
      sled.engine.advance(0, 4);
      sled.engine.advance(0, 3); // the log cut below what replaced it: held again
    }

    assertThat(sled.engine.held()).hasSize(1);
    String reason = sled.engine.held().get(0).error();
    assertThat(reason).endsWith(first);
    assertThat(reason.split("held again", -1)).as(reason).hasSize(2);
  }

  /**
   * Held again, then the reader passes the offset of what had replaced it (the log lost it: another
   * key's record is there now): it may be applied once it decodes, and its reason is its own again.
   */
  @Test
  void heldAgain_thenReadPastWhatReplacedIt_itsReasonIsItsOwnAgain() {
    EngineFixture sled = aSledHoldingA();
    String first = sled.engine.held().get(0).error();
    sled.engine.offer(set(A, 1, 3, S), 0, 3);
    sled.engine.advance(0, 4);
    sled.engine.advance(0, 3); // the log cut below what replaced it: held again
    assertThat(sled.engine.held().get(0).error()).contains("held again");

    sled.engine.offer(set(vip("10.8.0.2"), 1, 1, S), 0, 3); // another key's record there now
    sled.engine.advance(0, 4);

    assertThat(sled.engine.held()).hasSize(1);
    assertThat(sled.engine.held().get(0).error()).isEqualTo(first);
  }

  /** Compaction would never replace a record under a key no projector writes by its later ones. */
  @Test
  void aRecordUnderAKafkaKeyThatIsNotAKey_isNeverReplaced() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 1, S)));
    sled.engine.hold(EngineTest.held(0, 5, null));

    sled.engine.offer(set(A, 1, 2, T), 0, 6);
    sled.engine.retire(cleared(A, 1, 3).key(), 0, 7);

    assertThat(sled.engine.held()).extracting(Holds.Held::where).containsExactly("0@5");
  }
}
