package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.codec.TombstoneHeader;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * A record held at an offset the reader goes back before (the log cut under it, or a position out
 * of range read again from the log's start): until the reader has read that offset again, what the
 * log has there is not known, so it still holds clears and its VIP's entry.
 */
class HeldWhereReadAgainTest {
  static final Vip A = vip("172.30.0.5");
  static final Vip B = vip("172.30.0.6");

  /**
   * Compaction left A only its newest record, which this build cannot decode, while the device has
   * the entry an earlier run set from it. The reader goes back to the start of the partition: a
   * pass before it reads offset 1 again must not clear A.
   */
  @Test
  void aPassBeforeTheReaderIsBackAtTheHeldRecord_clearsNothing() {
    EngineFixture sled = aHeldNewestRecord();

    sled.engine.advance(0, 0); // read again from the start
    sled.engine.reconcile(); // the periodic pass, before offset 1 is read again
    assertThat(sled.device.table()).containsEntry(A, entry(A, T));
    assertThat(sled.engine.withheld()).contains("went back before it");

    sled.engine.offer(set(B, 1, 1, S), 0, 0);
    sled.hold(set(A, 1, 2, T), 0, 1); // the same record, held again
    sled.engine.advance(0, 2);
    sled.engine.reconcile();
    assertThat(sled.device.table()).containsEntry(A, entry(A, T));
    assertThat(sled.engine.held()).hasSize(1);
  }

  /**
   * The reader reads past the held record's offset again and finds no record there (a gap the new
   * log has there): its hold ends, it is never applied, and clears resume.
   */
  @Test
  void theHoldEnds_whenTheReaderIsPastItsOffsetAgain_andTheRecordIsNeverApplied() {
    EngineFixture sled = aHeldNewestRecord();

    sled.engine.advance(0, 1); // the log was cut at 1
    assertThat(sled.decodeLate(set(A, 1, 2, T), 0, 1))
        .as("not what the log has at its offset now: never applied")
        .isNull();
    sled.engine.offer(set(B, 1, 2, T), 0, 2);
    sled.engine.advance(0, 3);

    assertThat(sled.engine.held()).isEmpty();
    assertThat(sled.engine.withheld()).isNull();
    sled.engine.reconcile();
    assertThat(sled.device.table()).doesNotContainKey(A).containsEntry(B, entry(B, T));
    assertThat(sled.engine.unpublishedAcks()).isEqualTo(Map.of(0, 3L));
  }

  /** A's records at one version on S, then T (the later one wins): the device has T. */
  private static EngineFixture aSledWhereTheLaterOfTwoRecordsOfOneVersionWon() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(A, 1, 2, S), set(A, 1, 2, T)));
    assertThat(sled.device.table()).containsEntry(A, entry(A, T));
    return sled;
  }

  /**
   * Two records of A's key at one version with other content (a later fold's decision: the later
   * one, on T, wins). The reader goes back and reads them again, the second held this time: reading
   * the first again must not put its content (S) back over T, which the second may still say.
   */
  @Test
  void readingAgainTheEarlierOfTwoRecordsOfOneVersion_doesNotReplaceTheLaterOnesEntry() {
    EngineFixture sled = aSledWhereTheLaterOfTwoRecordsOfOneVersionWon();

    sled.engine.advance(0, 0); // read again from the start
    sled.engine.offer(set(A, 1, 2, S), 0, 0);
    sled.hold(set(A, 1, 2, T), 0, 1); // the registry away now
    sled.engine.advance(0, 2);
    sled.engine.reconcile();

    assertThat(sled.device.table()).containsEntry(A, entry(A, T));
  }

  /**
   * As above, the way the applier's loop sees it: one poll takes the position back (Kafka's poll
   * resets it and fetches from there in the same call) and returns the records from there, S's, T's
   * (held now) and one more, so the advance after the batch is past where the reader had been. The
   * loop tells the engine where each partition's batch starts before offering it.
   */
  @Test
  void aPollThatWentBackAndReturnedTheRecordsAtOnce_doesNotReplaceTheLaterOnesEntry() {
    EngineFixture sled = aSledWhereTheLaterOfTwoRecordsOfOneVersionWon();

    ApplierLoop.startBatch(sled.engine, List.of(at(0), at(1), at(2)));
    sled.engine.offer(set(A, 1, 2, S), 0, 0);
    sled.hold(set(A, 1, 2, T), 0, 1); // the registry away now
    sled.engine.offer(set(B, 1, 1, S), 0, 2);
    sled.engine.advance(0, 3);
    sled.engine.reconcile();

    assertThat(sled.device.table()).containsEntry(A, entry(A, T));
  }

  /**
   * An older projector's tombstone (no generation: it forgets every record of its key) sits between
   * A's records; the sled read past it, so the table and the device have A's newer SET (on S). The
   * reader goes back and reads the tombstone again, which forgets that SET: its clear must not go
   * out, since the SET follows it in the log, held this time (found by HoldKeepsTruthTest, seed
   * 6761997212396952712).
   */
  @Test
  void aTombstoneReadAgain_doesNotClearTheEntryOfTheRecordReadAfterIt() {
    EngineFixture sled = new EngineFixture(U);
    MappingKey key = set(A, 1, 3, S).key();
    sled.engine.offer(cleared(A, 1, 2), 0, 0);
    sled.engine.retire(key, TombstoneHeader.ANY, 0, 1);
    sled.engine.offer(set(A, 1, 3, S), 0, 2);
    sled.engine.advance(0, 3);
    sled.engine.completeSnapshot();
    sled.engine.reconcile();
    assertThat(sled.device.table()).containsEntry(A, entry(A, S));

    ApplierLoop.startBatch(sled.engine, List.of(at(0), at(1), at(2)));
    sled.engine.offer(cleared(A, 1, 2), 0, 0);
    sled.engine.retire(key, TombstoneHeader.ANY, 0, 1);
    sled.engine.hold(EngineTest.held(0, 2, key)); // the registry away now
    sled.engine.advance(0, 3);
    sled.engine.reconcile();
    assertThat(sled.device.table()).containsEntry(A, entry(A, S));

    sled.decodeLate(set(A, 1, 3, S), 0, 2);
    sled.endHolds();
    assertThat(sled.device.table()).containsEntry(A, entry(A, S));
    assertThat(sled.engine.lastPass().ok()).isTrue();
  }

  private static RecordDecoder.Decoded at(long offset) {
    return new RecordDecoder.Decoded(
        0, offset, 0, null, ApplierEngine.NO_TIME, null, null, null, new RecordHeaders());
  }

  /**
   * A sled whose device has A's entry, set by an earlier run from A's newest record, which this
   * build holds at offset 1 of partition 0 (B's record before it): snapshot read, one pass made.
   */
  private static EngineFixture aHeldNewestRecord() {
    EngineFixture sled = new EngineFixture(U);
    sled.device.set(entry(A, T));
    sled.engine.offer(set(B, 1, 1, S), 0, 0);
    sled.hold(set(A, 1, 2, T), 0, 1);
    sled.engine.advance(0, 2);
    sled.engine.completeSnapshot();
    sled.engine.reconcile();
    return sled;
  }
}
