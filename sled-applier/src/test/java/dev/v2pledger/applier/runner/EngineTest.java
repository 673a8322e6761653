package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.SERVICES;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.reconcile.DriftReason;
import dev.v2pledger.applier.reconcile.PassResult;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Version.Verdict;
import dev.v2pledger.schema.domain.Vip;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.assertj.core.api.Assertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EngineTest {
  static final Vip A = vip("172.30.0.5");
  static final Vip B = vip("172.30.0.6");
  static final Vip C = vip("fd77::7");
  static final Vip D = vip("172.30.0.8");

  @Test
  void givenSnapshotNotComplete_thenNothingIsWrittenAndPassesAreRefused() {
    EngineFixture sled = new EngineFixture(U);
    sled.device.set(entry(A, S)); // an entry desired will clear
    sled.device.set(entry(C, S)); // an entry desired has never heard of
    int mark = sled.device.mutationCount();

    sled.offer(set(A, 1, 1, S), cleared(A, 1, 2), set(B, 1, 1, T));
    assertThat(sled.engine.reconcile()).isNull();
    assertThat(sled.device.mutationsSince(mark)).isEmpty();
    assertThat(sled.engine.unpublishedAcks()).isEmpty();
    assertThat(sled.engine.lastPass()).isNull();

    sled.engine.completeSnapshot();
    PassResult first = sled.engine.reconcile();
    assertThat(first.repaired())
        .isEqualTo(Map.of(DriftReason.MISSING, 1, DriftReason.CLEARED, 1, DriftReason.UNKNOWN, 1));
    assertThat(sled.device.table()).containsOnlyKeys(B);
    assertThat(sled.engine.lastPass()).isEqualTo(first);
    assertThat(first.ok()).isTrue();
  }

  /** A held record that decodes late: only its key was followed while it was held. */
  @Nested
  class HeldRecordDecodingLate {

    /**
     * {@code held} (at heldAt in partition 0) was replaced when its key's later record or tombstone
     * in partition 0 was read: held no more, it is never offered; once holds end, A is not set.
     */
    private void assertReplacedWhenRead_andNotSet(
        EngineFixture sled, V2PMapping held, long heldAt) {
      assertReplacedWhenRead(sled, heldAt);
      assertThat(sled.decodeLate(held, 0, heldAt)).isNull();
      sled.endHolds();
      assertThat(sled.device.table()).doesNotContainKey(A);
    }

    @Test
    void losesToALaterRecordOfTheSameVersion_winsOverAnEarlierOne() {
      EngineFixture sled = new EngineFixture(U);
      sled.snapshot(List.of(set(A, 1, 2, S), set(B, 1, 2, S)));
      long heldAt = holdNext(sled, set(A, 1, 2, U));
      sled.engine.offer(set(A, 1, 2, T), 0, heldAt + 1); // same version, other content

      long heldB = holdAt(sled, set(B, 1, 2, T), heldAt + 2);

      assertReplacedWhenRead(sled, heldAt);
      assertThat(sled.decodeLate(set(A, 1, 2, U), 0, heldAt))
          .as("the record read after it is the later one: it replaced it")
          .isNull();
      assertThat(sled.decodeLate(set(B, 1, 2, T), 0, heldB))
          .as("B's record in desired came before it")
          .isEqualTo(Verdict.CONFLICT);
      sled.engine.holdsEnded();

      assertThat(sled.engine.desired().newest(A)).isEqualTo(set(A, 1, 2, T));
      assertThat(sled.engine.desired().newest(B)).isEqualTo(set(B, 1, 2, T));
      assertThat(sled.device.table()).containsEntry(A, entry(A, T)).containsEntry(B, entry(B, T));
    }

    @Test
    void losesToALaterRepeatOfTheRecordBeforeIt() {
      EngineFixture sled = new EngineFixture(U);
      sled.snapshot(List.of(set(A, 1, 2, S)));
      long heldAt = holdNext(sled, set(A, 1, 2, T));
      assertThat(sled.engine.offer(set(A, 1, 2, S), 0, heldAt + 1)).isEqualTo(Verdict.DUPLICATE);

      assertReplacedWhenRead(sled, heldAt);
      assertThat(sled.decodeLate(set(A, 1, 2, T), 0, heldAt))
          .as("in log order: S, the held T, S again: S")
          .isNull();
      assertThat(sled.engine.desired().newest(A)).isEqualTo(set(A, 1, 2, S));
    }

    @Test
    void staysForgottenWhenItsKeysTombstoneCameAfterIt() {
      EngineFixture sled = aSledThatSetOnlyB();
      long heldAt = holdNext(sled, set(A, 1, 2, T));
      sled.engine.offer(cleared(A, 1, 3), 0, heldAt + 1);
      sled.engine.retire(cleared(A, 1, 3).key(), 0, heldAt + 2);

      assertReplacedWhenRead(sled, heldAt);
      assertThat(sled.decodeLate(set(A, 1, 2, T), 0, heldAt)).isNull();
      assertThat(sled.engine.desired().newest(A)).isNull();
      assertThat(sled.device.table()).doesNotContainKey(A);
    }

    /**
     * Its key's tombstones are in every partition: its own partition's came after it, and another
     * partition's was read later still (partitions are read in no order against each other). The
     * latter does not hide the former: a tombstone beats a held record at or below the generation
     * it names, wherever it was read.
     */
    @Test
    void staysForgottenWhenAnotherPartitionsTombstoneOfItsKeyIsReadLast() {
      EngineFixture sled = aSledThatSetOnlyB();
      long heldAt = holdAt(sled, set(A, 1, 3, T), 10);
      sled.engine.offer(cleared(A, 1, 4), 0, heldAt + 1);
      sled.engine.retire(cleared(A, 1, 4).key(), 4, 0, heldAt + 2);
      sled.engine.retire(cleared(A, 1, 4).key(), 4, 1, 5);

      assertReplacedWhenRead_andNotSet(sled, set(A, 1, 3, T), heldAt);
    }

    /**
     * A tombstone of a build before the generation header (written to the key's partition only)
     * that came before the held record in its partition does not beat it: the key was owned again.
     */
    @Test
    void winsOverAnOlderProjectorsTombstoneOfItsKeyThatCameBeforeIt() {
      EngineFixture sled = aSledThatSetOnlyB();
      holdAt(sled, set(A, 1, 2, T), 3); // a hold of A begins: what follows of A is remembered
      sled.engine.retire(cleared(A, 1, 4).key(), 0, 9); // no header: removes any record
      long heldAt = holdAt(sled, set(A, 1, 6, T), 10);

      assertThat(sled.decodeLate(set(A, 1, 6, T), 0, heldAt)).isEqualTo(Verdict.NEWER);
    }

    /**
     * Tombstones of both kinds of its key were read during the hold (an older and a newer
     * projector's, in an upgrade): one without a generation does not hide one naming the held
     * record's generation, in either order.
     */
    @Test
    void losesToATombstoneNamingItsGeneration_whateverTombstoneWithoutOneWasReadToo() {
      for (boolean withoutGenerationFirst : new boolean[] {true, false}) {
        EngineFixture sled = aSledThatSetOnlyB();
        holdAt(sled, set(A, 1, 2, T), 3); // the hold begins
        if (withoutGenerationFirst) {
          sled.engine.retire(cleared(A, 1, 5).key(), 0, 8);
        } else {
          sled.engine.retire(cleared(A, 1, 5).key(), 6, 1, 4);
        }
        long heldAt = holdAt(sled, set(A, 1, 6, T), 10);
        if (withoutGenerationFirst) {
          sled.engine.retire(cleared(A, 1, 5).key(), 6, 1, 4);
        } else {
          sled.engine.retire(cleared(A, 1, 5).key(), 0, 8);
        }

        assertThat(sled.decodeLate(set(A, 1, 6, T), 0, heldAt))
            .as("the tombstone without a generation read first: %s", withoutGenerationFirst)
            .isEqualTo(Verdict.OLDER);
      }
    }

    /**
     * Its key's CLEARED came after it, older than a newer allocation the table held then (so not
     * kept), and that allocation's tombstone then forgot the VIP (the hold lasted past the grace
     * period): in log order the held SET was cleared, so it is not set now.
     */
    @Test
    void staysClearedWhenItsKeysNewerRecordCameAfterIt_thoughTheTableForgotTheVip() {
      EngineFixture sled = aSledThatSetOnlyB();
      sled.engine.offer(cleared(A, 6, 1), 1, 0); // a newer allocation, released
      sled.engine.advance(1, 1);
      long heldAt = holdAt(sled, set(A, 5, 3, T), 10);
      assertThat(sled.engine.offer(cleared(A, 5, 4), 0, heldAt + 1)).isEqualTo(Verdict.OLDER);
      sled.engine.retire(cleared(A, 6, 1).key(), 1, 1, 1);

      assertReplacedWhenRead_andNotSet(sled, set(A, 5, 3, T), heldAt);
    }
  }

  @Test
  void aHeldRecordThatDecodesLate_isNotOrderedAgainstAnotherPartition() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 2, S)));
    sled.hold(set(A, 1, 2, T), 7, 3); // its key followed
    sled.engine.offer(set(A, 1, 2, S), 1, 900); // the key's records, before the topic grew

    assertThat(sled.decodeLate(set(A, 1, 2, T), 7, 3))
        .as("the table's rule decides: the record offered last wins at one version")
        .isEqualTo(Verdict.CONFLICT);
  }

  /**
   * DESIGN "Partitions and topology": a partition added to v2p.mappings while running may keep a
   * key set that a record of an old partition clears, so no clear is issued until it is read to the
   * end found when it was added; sets go on.
   */
  @Test
  void whileAnAddedPartitionIsRead_clearsAreWithheld_setsGoOn_andThePassAfterIssuesThem() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 1, S), set(B, 1, 1, S)));
    sled.engine.catchUp(Map.of(6, 2L));

    sled.offer(cleared(A, 1, 2), set(B, 1, 2, T));
    assertThat(sled.device.table()).containsEntry(A, entry(A, S)).containsEntry(B, entry(B, T));
    assertThat(sled.engine.withheld()).contains("partition(s) [6]");
    PassResult during = sled.engine.reconcile();
    assertThat(during.withheld()).isEqualTo(1);
    assertThat(sled.device.table()).containsKey(A);
    sled.engine.advance(6, 1);
    assertThat(sled.engine.takeCatchUpEnded()).isFalse();

    sled.engine.advance(6, 2);
    assertThat(sled.engine.takeCatchUpEnded()).as("read to the end found").isTrue();
    assertThat(sled.engine.withheld()).isNull();
    sled.engine.reconcile();
    assertThat(sled.device.table()).doesNotContainKey(A).containsEntry(B, entry(B, T));
  }

  /**
   * A record that cannot be decoded is already in the snapshot (held before the applier was ever
   * ready): the first pass sets what it must but clears nothing, and no ack passes the held record,
   * until it decodes; then the clears are issued.
   */
  @Test
  void aRecordHeldInTheSnapshot_theFirstPassClearsNothing_andNoAckPassesIt_untilItDecodes() {
    EngineFixture sled = new EngineFixture(U);
    sled.device.set(entry(A, S)); // left from before: the snapshot clears it
    sled.device.set(entry(C, S)); // unknown to desired: a clear too
    sled.engine.offer(cleared(A, 1, 3), 0, 0);
    sled.hold(set(A, 1, 2, T), 0, 1); // read after A's newer record: nothing replaces it
    sled.engine.offer(set(B, 1, 1, T), 0, 2);
    sled.engine.advance(0, 3);
    sled.engine.completeSnapshot();

    PassResult first = sled.engine.reconcile();
    assertThat(first.withheld()).isEqualTo(2);
    assertThat(sled.device.table()).containsKeys(A, C).containsEntry(B, entry(B, T));
    assertThat(sled.engine.withheld()).contains("holding 1 record(s)");
    assertThat(sled.engine.unpublishedAcks()).as("nothing at or past the held record").isEmpty();

    assertThat(sled.decodeLate(set(A, 1, 2, T), 0, 1)).isEqualTo(Verdict.OLDER);
    sled.endHolds();
    assertThat(sled.device.table()).containsOnlyKeys(B);
    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 3L));
  }

  /**
   * A record held at an offset the log no longer has as it was (v2p.mappings cut under the reader,
   * which goes back and reads what is there now): the held copy may be of a record that is gone. It
   * is never applied; one read again at its offset (decodable now) replaces it, one past the
   * position the reader went back to holds clears until the reader is past it again
   * (HeldWhereReadAgainTest: a pass before then must not clear what it kept).
   */
  @Test
  void recordsHeldWhereTheLogWasCut_areNeverApplied_andHoldUntilReadAgain() {
    EngineFixture sled = new EngineFixture(U);
    sled.engine.offer(set(A, 1, 1, S), 0, 0);
    sled.engine.offer(set(B, 1, 1, S), 0, 1);
    sled.engine.offer(set(A, 1, 2, S), 0, 2);
    sled.hold(set(A, 1, 3, T), 0, 3); // the old log's records 3 and 5
    sled.engine.offer(set(B, 1, 2, S), 0, 4);
    sled.hold(set(B, 1, 3, T), 0, 5);
    sled.engine.advance(0, 6);
    sled.engine.completeSnapshot();
    sled.engine.reconcile();
    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 3L));

    // cut after offset 2; the new log's records 3 and 4 are read
    sled.engine.offer(set(C, 1, 1, S), 0, 3);
    sled.engine.offer(set(A, 1, 3, S), 0, 4);
    sled.engine.advance(0, 5);

    assertThat(sled.engine.held())
        .as("offset 5 not read again yet")
        .singleElement()
        .satisfies(h -> assertThat(h.error()).contains("went back before it"));
    assertThat(sled.engine.withheld()).isNotNull();
    assertThat(sled.decodeLate(set(B, 1, 3, T), 0, 5)).as("never applied").isNull();
    sled.engine.reconcile();
    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 5L));

    sled.engine.offer(set(D, 1, 1, S), 0, 5); // what the new log has at 5
    sled.engine.advance(0, 6);
    assertThat(sled.engine.held()).isEmpty();
    assertThat(sled.engine.withheld()).isNull();
    sled.engine.reconcile();
    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 6L));
  }

  /** What is read during a hold is remembered for the held records' keys only. */
  @Test
  void duringAHold_onlyTheHeldRecordsKeysAreFollowed_noneForOneThatDoesNotParse() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 1, S), set(B, 1, 1, S)));
    long heldAt = holdNext(sled, set(A, 1, 2, T));
    sled.engine.offer(set(B, 1, 2, T), 0, heldAt + 1);
    sled.engine.offer(set(C, 1, 1, T), 0, heldAt + 2);
    assertThat(sled.engine.keysReadDuringHold()).as("B and C are not held").isZero();
    sled.engine.offer(set(A, 1, 3, T), 1, 3); // in its own partition, it would replace the held A
    assertThat(sled.engine.keysReadDuringHold()).isEqualTo(1);

    sled.engine.hold(held(0, heldAt + 4, null));
    sled.engine.offer(set(B, 1, 3, S), 0, heldAt + 5);
    assertThat(sled.engine.keysReadDuringHold())
        .as("a held record whose key does not parse is never offered: B is not followed")
        .isEqualTo(1);
    sled.engine.resolve(0, heldAt + 4);
    long heldB = holdAt(sled, set(B, 1, 4, T), heldAt + 6);
    sled.engine.offer(set(B, 1, 5, S), 1, 7);
    assertThat(sled.engine.keysReadDuringHold()).as("B is held now").isEqualTo(2);
    sled.engine.resolve(0, heldB); // skipped
    sled.engine.holdsEnded(); // as after every resolution: B is no held record's key any more
    assertThat(sled.engine.keysReadDuringHold()).as("A is followed, alone").isEqualTo(1);
    sled.engine.offer(set(C, 1, 2, S), 0, heldAt + 8);
    assertThat(sled.engine.keysReadDuringHold()).isEqualTo(1);

    assertThat(sled.decodeLate(set(A, 1, 2, T), 0, heldAt))
        .as("A's newer record was read (in another partition: the table's rule decides)")
        .isEqualTo(Verdict.OLDER);
    sled.engine.holdsEnded();
    assertThat(sled.engine.keysReadDuringHold()).isZero();
  }

  /**
   * A delta fails device-wide (XDE unloaded); XDE comes back with an empty table and the next
   * delta, of another partition, reopens it and succeeds. No watermark may then claim a record the
   * new device lacks (B, acked before) until a pass has looked at it, and a pass is asked for.
   */
  @Test
  void afterADeltaFailsDeviceWide_noWatermarkMoves_untilAPassLooksAtTheDevice() {
    Reloadable xde = new Reloadable();
    ApplierEngine engine = xde.engine;

    xde.unload(); // XDE unloaded
    engine.offer(set(C, 1, 1, S), 0, 1);
    engine.advance(0, 2);
    SimulatedXde reloaded = xde.reload(); // loaded again, empty
    engine.offer(set(D, 1, 1, S), 1, 1); // reopens it
    engine.advance(1, 2);
    assertThat(xde.passesAsked).as("a pass is asked for").hasValue(1);

    assertThat(reloaded.table()).containsOnlyKeys(D);
    assertThat(engine.unpublishedAcks()).as("p1 at 2 would claim B is on the device").isEmpty();
    assertThat(engine.reconcile().ok()).isTrue();
    assertThat(reloaded.table()).containsKeys(A, B, C, D);
    assertThat(engine.unpublishedAcks()).isEqualTo(Map.of(0, 2L, 1, 2L));
  }

  /**
   * As above, but XDE's going is met by a port poll, not a delta (the poll runs every 50 ms, so it
   * is the likelier one to meet it): the engine hears of it through the shared device all the same.
   */
  @Test
  void afterAPortPollFailsDeviceWide_noWatermarkMoves_untilAPassLooksAtTheDevice() {
    Reloadable xde = new Reloadable();

    xde.portPollMeetsItGone();
    xde.reload();
    xde.engine.offer(set(D, 1, 1, S), 1, 1); // reopens it
    xde.engine.advance(1, 2);

    assertThat(xde.engine.unpublishedAcks()).isEmpty();
    assertThat(xde.passesAsked).as("a pass is asked for").hasValue(1);
  }

  /**
   * While XDE is gone, passes fail and port polls fail every 50 ms: none of that asks for another
   * pass (the periodic one runs); the device answering again asks for one, once.
   */
  @Test
  void whileXdeIsGone_failuresAskForNoPass_andItsAnsweringAgainAsksForOne() {
    Reloadable xde = new Reloadable();

    xde.portPollMeetsItGone();
    assertThat(xde.engine.reconcile().dumpError()).isNotNull();
    Assertions.assertThatThrownBy(xde.device::listPorts).isInstanceOf(XdeException.class);
    assertThat(xde.passesAsked).hasValue(0);
    xde.reload();
    xde.device.listPorts();
    xde.device.listPorts();

    assertThat(xde.passesAsked).as("once").hasValue(1);
  }

  /**
   * A pass that failed because XDE was still gone does not undo what the device-wide failure
   * allows: once the device is back, a pass that leaves only withheld clears syncs the other
   * partitions again (the first pass asked for came before the driver was loaded again).
   */
  @Test
  void aPassFailingWhileXdeIsStillGone_doesNotKeepOtherPartitionsWaitingForTheHold() {
    Reloadable xde = new Reloadable();
    ApplierEngine engine = xde.engine;
    engine.hold(held(0, 1, set(C, 1, 1, S).key()));
    engine.offer(cleared(A, 1, 2), 0, 2);
    engine.advance(0, 3);

    xde.portPollMeetsItGone();
    assertThat(engine.reconcile().dumpError()).isNotNull();
    xde.reload().set(entry(A, S));
    engine.offer(set(D, 1, 1, S), 1, 1);
    engine.advance(1, 2);
    PassResult pass = engine.reconcile();

    assertThat(pass.withheld()).isPositive();
    assertThat(engine.unpublishedAcks()).isEqualTo(Map.of(1, 2L));
  }

  /**
   * A device-wide failure while a record is held (a clear withheld): the next pass reads the device
   * and sets what it lacks but for that clear; the other partitions are acked again, not held until
   * the hold ends (an operator's skip, for a record under another key).
   */
  @Test
  void aDeviceWideFailureDuringAHold_otherPartitionsAreAckedAgainAfterThePass() {
    Reloadable xde = new Reloadable();
    ApplierEngine engine = xde.engine;
    engine.hold(held(0, 1, set(C, 1, 1, S).key()));
    engine.offer(cleared(A, 1, 2), 0, 2); // withheld: holds partition 0

    engine.advance(0, 3);
    xde.portPollMeetsItGone();
    SimulatedXde reloaded = xde.reload();
    reloaded.set(entry(A, S)); // back with A's entry (its port's side effect): a clear, withheld
    engine.offer(set(D, 1, 1, S), 1, 1);
    engine.advance(1, 2);
    assertThat(engine.unpublishedAcks()).as("before a pass looked at it").isEmpty();
    PassResult pass = engine.reconcile();

    assertThat(pass.withheld()).isPositive();
    assertThat(pass.failed()).isZero();
    assertThat(reloaded.table()).containsKeys(A, B, D);
    assertThat(engine.unpublishedAcks()).isEqualTo(Map.of(1, 2L));
  }

  /** {@link ReloadableXde} with A (partition 0) and B (partition 1) applied, a pass done, acked. */
  private static final class Reloadable extends ReloadableXde {
    Reloadable() {
      super(U);
      engine.offer(set(A, 1, 1, S), 0, 0);
      engine.offer(set(B, 1, 1, T), 1, 0);
      engine.advance(0, 1);
      engine.advance(1, 1);
      engine.completeSnapshot();
      assertThat(engine.reconcile().ok()).isTrue();
      engine.markPublished(0, 1);
      engine.markPublished(1, 1);
    }

    /** XDE unloaded, met by the port poll. */
    void portPollMeetsItGone() {
      unload();
      Assertions.assertThatThrownBy(device::listPorts).isInstanceOf(XdeException.class);
    }
  }

  /**
   * {@code v2p.mappings} grew, so A's key has records in partitions 0 and 1. Held: H1 at 0@5 (gen
   * 3) and H3 at 1@6 (gen 4, on T); read during the hold: R at 1@8 (gen 4, on U, a later fold's
   * decision). Both held records decode in one retry: H1, offered at its own place, must not hide R
   * as its key's last record in partition 1, so H3 loses to R.
   */
  @Test
  void aLateDecodedRecord_doesNotHideItsKeysLastRecordInAnotherPartition() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 2, S)));
    sled.hold(set(A, 1, 3, S), 0, 5);
    sled.hold(set(A, 1, 4, T), 1, 6);
    sled.engine.offer(set(A, 1, 4, U), 1, 8);
    assertThat(sled.device.table())
        .as("kept: H1 may be newer than R, read in another partition (HeldEntryTest)")
        .containsEntry(A, entry(A, S));

    assertThat(sled.decodeLate(set(A, 1, 3, S), 0, 5)).isEqualTo(Verdict.OLDER);
    assertReplacedWhenRead(sled, 1, 6);
    assertThat(sled.decodeLate(set(A, 1, 4, T), 1, 6))
        .as("R came after it in partition 1: it replaced it when read")
        .isNull();
    sled.endHolds(); // the pass after the hold

    assertThat(sled.engine.desired().newest(A)).isEqualTo(set(A, 1, 4, U));
    assertThat(sled.device.table()).containsEntry(A, entry(A, U));
  }

  /**
   * A held record whose Kafka key is not the key its value decodes to (no projector writes one):
   * what was read of its mapping's key during the hold was not followed, so it is not offered but
   * held on, with that reason, for an operator to skip; it never sets a key a later tombstone
   * forgot.
   */
  @Test
  void aHeldRecordDecodingToAnotherKeyThanItsKafkaKey_staysHeld() {
    EngineFixture sled = aSledThatSetOnlyB();
    long heldAt = holdNext(sled, set(A, 1, 2, T));
    sled.engine.offer(cleared(B, 1, 3), 0, heldAt + 1);
    sled.engine.retire(cleared(B, 1, 3).key(), 0, heldAt + 2);

    assertThat(sled.decodeLate(set(B, 1, 2, T), 0, heldAt)).isNull();
    assertThat(sled.engine.held())
        .singleElement()
        .satisfies(held -> assertThat(held.error()).contains("is not its mapping's key"));
    assertThat(sled.engine.desired().newest(B)).isNull();
    assertThat(sled.engine.withheld()).contains("is not its mapping's key");

    assertThat(sled.decodeLate(set(A, 1, 2, T), 0, heldAt))
        .as("decoding to its own key")
        .isEqualTo(Verdict.NEWER);
    assertThat(sled.engine.held()).isEmpty();
  }

  /**
   * A held record whose Kafka key is not a key as the projector writes it (no {@link
   * Holds.Held#key}) decodes: no projector writes one, and compaction would never replace it by its
   * mapping key's later records; held on.
   */
  @Test
  void aHeldRecordWhoseKafkaKeyIsNotAKey_staysHeld_whenItDecodes() {
    EngineFixture sled = aSledThatSetOnlyB();
    long heldAt = holdNext(sled, null);

    assertThat(sled.decodeLate(set(A, 1, 2, T), 0, heldAt)).isNull();
    assertThat(sled.engine.held()).singleElement().extracting(Holds.Held::offset).isEqualTo(heldAt);
    assertThat(sled.engine.desired().newest(A)).isNull();
    assertThat(sled.engine.withheld()).contains("holding 1 record(s)");
  }

  /** A sled whose snapshot set B only: A's records are the test's. */
  private static EngineFixture aSledThatSetOnlyB() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(B, 1, 1, S)));
    return sled;
  }

  /**
   * Holds an undecodable record at the next offset of partition 0, with the key of {@code
   * decodesAs} (or one that does not parse, for null); returns that offset.
   */
  private static long holdNext(EngineFixture sled, @Nullable V2PMapping decodesAs) {
    return holdAt(sled, decodesAs, sled.nextOffset());
  }

  /** As {@link #holdNext}, at {@code offset} of partition 0. */
  private static long holdAt(EngineFixture sled, @Nullable V2PMapping decodesAs, long offset) {
    sled.engine.hold(held(0, offset, decodesAs == null ? null : decodesAs.key()));
    return offset;
  }

  /** The record held at {@code offset} of partition 0 is held no more. */
  private static void assertReplacedWhenRead(EngineFixture sled, long offset) {
    assertReplacedWhenRead(sled, 0, offset);
  }

  private static void assertReplacedWhenRead(EngineFixture sled, int partition, long offset) {
    assertThat(sled.engine.held())
        .as("replaced by its key's later record or tombstone in its partition")
        .extracting(Holds.Held::where)
        .doesNotContain(partition + "@" + offset);
  }

  /** A record held at {@code partition}/{@code offset} under {@code key}. */
  static Holds.Held held(int partition, long offset, @Nullable MappingKey key) {
    return new Holds.Held(
        partition, offset, key, new byte[] {1}, new RecordHeaders(), "test", Instant.EPOCH);
  }

  @Test
  void aTombstoneForgetsAClearedKey_andClearsOneThatWasSet() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 1, S), cleared(A, 1, 2), set(B, 1, 1, T)));
    sled.engine.reconcile();
    int mark = sled.device.mutationCount();

    sled.engine.retire(set(A, 1, 1, S).key(), 0, 10);
    sled.engine.retire(set(B, 1, 1, T).key(), 0, 11);

    assertThat(sled.engine.desired().newest(A)).isNull();
    assertThat(sled.engine.desired().newest(B)).isNull();
    assertThat(sled.device.mutationsSince(mark)).hasSize(1);
    assertThat(sled.device.table()).doesNotContainKey(B);
  }

  /**
   * v2p.mappings grew: the key's SET from before stayed in partition 0, its CLEARED and the
   * tombstones (one per partition, up to the CLEARED's generation) came after. An applier that
   * starts reads the partitions in no order against each other: whatever the order, nothing of the
   * key is left in force.
   */
  @Test
  void tombstonesInEveryPartition_leaveNothingOfTheKey_inEitherPartitionOrder() {
    for (boolean newPartitionFirst : new boolean[] {true, false}) {
      EngineFixture sled = new EngineFixture(U);
      Runnable oldPartition =
          () -> {
            sled.engine.offer(set(A, 5, 3, T), 0, 0);
            sled.engine.retire(set(A, 5, 3, T).key(), 4, 0, 1);
          };
      Runnable newPartition =
          () -> {
            sled.engine.offer(cleared(A, 5, 4), 1, 0);
            sled.engine.retire(set(A, 5, 3, T).key(), 4, 1, 1);
          };
      (newPartitionFirst ? newPartition : oldPartition).run();
      (newPartitionFirst ? oldPartition : newPartition).run();
      sled.engine.completeSnapshot();
      sled.engine.reconcile();

      assertThat(sled.engine.desired().newest(A))
          .as("new partition first: %s", newPartitionFirst)
          .isNull();
      assertThat(sled.device.table()).doesNotContainKey(A);
    }
  }

  /**
   * The key was owned again after its tombstones (its NIC attached again with the same allocation):
   * its new SET in its partition comes after the tombstone there, but another partition's
   * tombstone, read later by an applier that starts, removes only records up to the generation it
   * names, so the SET stays in force.
   */
  @Test
  void aTombstoneReadAfterANewerRecordOfItsKey_fromAnotherPartition_leavesTheNewerRecord() {
    EngineFixture sled = new EngineFixture(U);
    sled.engine.retire(set(A, 5, 3, T).key(), 4, 1, 0); // the key's partition: its tombstone,
    sled.engine.offer(set(A, 5, 6, S), 1, 1); // then the key owned again
    sled.engine.retire(set(A, 5, 3, T).key(), 4, 0, 0); // another partition's tombstone
    sled.engine.completeSnapshot();
    sled.engine.reconcile();

    assertThat(sled.engine.desired().newest(A)).isEqualTo(set(A, 5, 6, S));
    assertThat(sled.device.table()).containsEntry(A, entry(A, S));
  }

  @Test
  void excludedVniIsNeverTouched() {
    EngineFixture sled = new EngineFixture(U);
    Vip service = vip(SERVICES, "172.30.0.5");
    Vip unknownService = vip(SERVICES, "172.30.0.99");
    sled.device.set(entry(service, S));
    sled.device.set(entry(unknownService, S));
    int mark = sled.device.mutationCount();

    sled.snapshot(List.of(set(service, 1, 1, T), set(vip(SERVICES, "172.30.0.7"), 1, 1, T)));
    sled.offer(cleared(service, 1, 2), set(vip(SERVICES, "172.30.0.8"), 1, 1, T));
    PassResult pass = sled.engine.reconcile();

    assertThat(sled.device.mutationsSince(mark)).isEmpty();
    assertThat(pass.excludedSkipped()).isEqualTo(2);
    assertThat(sled.device.table()).containsOnlyKeys(service, unknownService);
  }

  @Test
  void givenDeltaCallFails_thenWatermarkHoldsUntilTheNextPassRepairsIt() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 1, S)));
    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 1L));
    sled.engine.markPublished(0, 1);

    sled.device.failNextCalls(1);
    sled.offer(set(B, 1, 1, T)); // offset 1: its set fails
    sled.offer(set(C, 1, 1, T)); // offset 2: applied
    assertThat(sled.device.get(B)).isNull();
    assertThat(sled.device.get(C)).isEqualTo(entry(C, T));
    assertThat(sled.engine.unpublishedAcks()).as("held at the failed record").isEmpty();

    PassResult pass = sled.engine.reconcile();
    assertThat(pass.ok()).isTrue();
    assertThat(pass.repaired()).isEqualTo(Map.of(DriftReason.MISSING, 1));
    assertThat(sled.device.get(B)).isEqualTo(entry(B, T));
    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 3L));
  }

  @Test
  void givenPassCallsFail_thenTheyAreCountedAndTheNextPassRepairsThem() {
    EngineFixture sled = new EngineFixture(U);
    sled.offer(set(A, 1, 1, S), set(B, 1, 1, S), set(C, 1, 1, S));
    sled.engine.completeSnapshot();
    sled.device.failNextCalls(1);
    PassResult dumpFailed = sled.engine.reconcile();
    assertThat(dumpFailed.dumpError()).contains("injected device failure");
    sled.device.failNextWrites(2);
    PassResult partial = sled.engine.reconcile();
    assertThat(partial.failed()).isEqualTo(2);
    assertThat(partial.set()).isEqualTo(1);
    assertThat(sled.engine.unpublishedAcks()).as("no ack before a pass succeeds").isEmpty();

    PassResult repaired = sled.engine.reconcile();
    assertThat(repaired.ok()).isTrue();
    assertThat(repaired.set()).isEqualTo(2);
    assertThat(sled.device.table()).containsOnlyKeys(A, B, C);
    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 3L));
  }

  /**
   * After the first good pass, the device loses entries (XDE reloaded, say) and the pass that finds
   * it cannot write them back: the records below the watermarks are not all on the device any more,
   * so acks stop, the later records included, until a pass repairs the device.
   */
  @Test
  void givenThePassAfterADeviceLossFails_thenNoWatermarkMovesUntilAPassSucceeds() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 1, S), set(B, 1, 1, S)));
    sled.engine.markPublished(0, 2);
    sled.device.clear(A);
    sled.device.clear(B);

    sled.device.failNextWrites(2);
    assertThat(sled.engine.reconcile().failed()).isEqualTo(2);
    sled.offer(set(C, 1, 1, T)); // offset 2: its own set works

    assertThat(sled.device.get(C)).isEqualTo(entry(C, T));
    assertThat(sled.engine.unpublishedAcks()).as("A and B are acked but off the device").isEmpty();
    assertThat(sled.engine.reconcile().ok()).isTrue();
    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 3L));
  }

  @Test
  void deltasAreOneCallEach_aMoveIsOneSetNeverClearThenSet() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 1, S)));
    int mark = sled.device.mutationCount();

    sled.offer(set(A, 1, 2, T), cleared(A, 1, 3), set(B, 1, 1, S));

    assertThat(sled.device.mutationsSince(mark))
        .extracting(m -> m.op() + " " + m.vip())
        .containsExactly("SET " + A, "CLEAR " + A, "SET " + B);
  }
}
