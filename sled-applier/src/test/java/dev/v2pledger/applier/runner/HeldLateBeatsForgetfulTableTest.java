package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.schema.codec.TombstoneHeader;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * HoldKeepsTruthTest's seeds 20261558, 8069237835369187990 and -6101147188828098501, minimized. In
 * each, an engine that decodes everything and reads what the sled reads (the generator's oracle)
 * ends on a record the log has a newer one of, because its table (one record per VIP) forgot that
 * one; the sled held the newer one, and decoded late, by DESIGN's rules, it wins. The entry the
 * sled replaces was never the log's truth: these are the oracle's errors, not the sled's.
 */
class HeldLateBeatsForgetfulTableTest {
  static final Vip A = vip("10.8.0.1");

  /** Reads what the sled reads, every record decoded: the generator's oracle. */
  private final EngineFixture oracle = new EngineFixture(U);

  private final EngineFixture sled = new EngineFixture(U);

  /** {@code record} at (partition, offset): held by the sled, read by the oracle. */
  private void read(EngineFixture f, V2PMapping record, int partition, long offset) {
    if (f == sled) {
      sled.hold(record, partition, offset);
    } else {
      f.engine.offer(record, partition, offset);
    }
  }

  /** The same log, read by the oracle and by the sled: {@link #read} tells them apart. */
  private void bothRead(Consumer<EngineFixture> log) {
    for (EngineFixture f : List.of(oracle, sled)) {
      log.accept(f);
    }
  }

  /** Before the sled decodes what it holds: the oracle's truth, and the sled's entry for A. */
  private void assertTheOracleEndsOn(V2PMapping truth, Sled sledHasA) {
    assertThat(oracle.engine.desired().newest(A)).isEqualTo(truth); // the oracle's truth
    assertThat(sled.device.table()).containsEntry(A, entry(A, sledHasA));
  }

  /** The sled decodes {@code held} late and ends its holds: it is in force, on {@code on}. */
  private void assertDecodedLateItWins(V2PMapping held, int partition, long offset, Sled on) {
    sled.decodeLate(held, partition, offset);
    sled.endHolds();

    assertThat(sled.engine.desired().newest(A)).isEqualTo(held);
    assertThat(sled.device.table()).containsEntry(A, entry(A, on));
  }

  /**
   * Seed 20261558. A's key at epoch 2 had a CLEARED record and an older projector's tombstone
   * without a generation in partition 0, then a SET at generation 2; the topic grew and the key's
   * next record, on T at generation 3, went to partition 1. An applier started again reads the
   * partitions interleaved: partition 1's record before partition 0's tombstone. Read decodable,
   * the tombstone forgets it (any record of its key) and the generation-2 record on S is in force;
   * held, decoded late, it stands: a tombstone without a generation counts against a late-decoded
   * record only when read after it in its partition, and it is the newest record of its key.
   */
  @Test
  void aLateRecordOfAnotherPartition_isNotForgottenByAnOldTombstoneWithoutGeneration() {
    V2PMapping newest = set(A, 2, 3, T);
    bothRead(
        f -> {
          f.engine.offer(cleared(A, 2, 1), 0, 0);
          f.engine.advance(0, 1);
          read(f, newest, 1, 0);
          f.engine.advance(1, 1);
          f.engine.retire(newest.key(), TombstoneHeader.ANY, 0, 1);
          f.engine.advance(0, 2);
          f.engine.offer(set(A, 2, 2, S), 0, 2);
          f.engine.advance(0, 3);
          f.engine.completeSnapshot();
          f.engine.reconcile();
        });
    assertTheOracleEndsOn(set(A, 2, 2, S), S);

    assertDecodedLateItWins(newest, 1, 0, T);
  }

  /**
   * Seed 8069237835369187990. A's allocation at epoch 2 (on S) is held; epoch 3 was allocated,
   * CLEARED and its tombstone read; then a record of the allocation at epoch 1 (on T) arrives (its
   * partition lags). The decodable table forgot epoch 2 through epoch 3's tombstone and takes epoch
   * 1; the log's record in force is epoch 2's, the highest epoch no tombstone covers, and the sled
   * applies it once it decodes.
   */
  @Test
  void aLateRecordOfANewerAllocation_beatsAnOlderOneTheDecodableTableTookAfterForgettingIt() {
    V2PMapping epoch2 = set(A, 2, 1, S);
    bothRead(
        f -> {
          read(f, epoch2, 0, 0);
          f.engine.offer(cleared(A, 3, 1), 0, 1);
          f.engine.retire(cleared(A, 3, 1).key(), 1, 0, 2);
          f.engine.offer(set(A, 1, 1, T), 0, 3);
          f.engine.advance(0, 4);
          f.engine.completeSnapshot();
          f.engine.reconcile();
        });
    assertTheOracleEndsOn(set(A, 1, 1, T), T);

    assertDecodedLateItWins(epoch2, 0, 0, S);
  }

  /**
   * Seed -6101147188828098501. A's key at epoch 1 has its first record in partition 0 (held) and,
   * after the topic grew, records at generations 2 (S) and 3 (T) in partition 1. Epoch 2 is
   * allocated on S (set: a newer allocation), CLEARED (the clear withheld while something is held)
   * and its tombstone read: the table forgets A. The reader goes back in partition 1 and reads
   * generation 2 again (held this time); the decodable table takes it back: S, which the device
   * still has from epoch 2. The log says generation 3, on T; decoded late, the sled's generation-1
   * record (T too) replaces S: no correct entry is lost.
   */
  @Test
  void anEntryLeftByAWithheldClear_isNotTheTruth_whenTheDecodableTableTookAnOldRecordBack() {
    V2PMapping first = set(A, 1, 1, T);
    V2PMapping second = set(A, 1, 2, S);
    bothRead(
        f -> {
          read(f, first, 0, 0);
          f.engine.offer(second, 1, 0);
          f.engine.offer(set(A, 1, 3, T), 1, 1);
          f.engine.advance(1, 2);
          f.engine.offer(set(A, 2, 1, S), 0, 1);
          f.engine.completeSnapshot();
          f.engine.reconcile();
          f.engine.offer(cleared(A, 2, 2), 0, 2);
          f.engine.retire(cleared(A, 2, 2).key(), 2, 0, 3);
          f.engine.advance(0, 4);
          f.engine.advance(1, 0); // back in partition 1
          read(f, second, 1, 0);
          f.engine.advance(1, 1);
        });
    assertTheOracleEndsOn(second, S);

    sled.decodeLate(second, 1, 0); // generation 3 came after it
    sled.decodeLate(first, 0, 0);
    sled.endHolds();

    assertThat(sled.device.table())
        .as("the entry of generation 3, the newest record of A's key in the log")
        .containsEntry(A, entry(A, T));
  }

  /**
   * Found by HoldKeepsTruthTest with its truth judged key by key (seed 3818691643852506743): two
   * records of A's key at one version, CLEARED then SET on T (a later fold's decision: the later
   * one wins); the device has T. The reader goes back and reads the CLEARED again, held this time;
   * decoded late, it is the earlier of the two (the SET was read after it in its partition) and
   * must not clear T, as it would not have, read again decodable.
   */
  @Test
  void theEarlierOfTwoRecordsOfOneVersion_readAgainAndDecodedLate_doesNotClearTheLaterOnesEntry() {
    sled.snapshot(List.of(set(A, 1, 1, S), cleared(A, 1, 2), set(A, 1, 2, T)));
    assertThat(sled.device.table()).containsEntry(A, entry(A, T));

    sled.engine.advance(0, 1); // read again from offset 1
    sled.hold(cleared(A, 1, 2), 0, 1); // the registry away now
    sled.engine.advance(0, 2);
    sled.decodeLate(cleared(A, 1, 2), 0, 1);
    sled.endHolds();

    assertThat(sled.device.table()).containsEntry(A, entry(A, T));
  }

  /** As above, read again decodable: a pass before the later record is read again keeps T. */
  @Test
  void theEarlierOfTwoRecordsOfOneVersion_readAgain_isNotPutInForceByAPassBeforeTheLaterOne() {
    sled.snapshot(List.of(set(A, 1, 1, S), cleared(A, 1, 2), set(A, 1, 2, T)));

    sled.engine.advance(0, 1); // read again from offset 1
    sled.engine.offer(cleared(A, 1, 2), 0, 1);
    sled.engine.advance(0, 2);
    sled.engine.reconcile();
    assertThat(sled.device.table()).containsEntry(A, entry(A, T));

    sled.engine.offer(set(A, 1, 2, T), 0, 2); // the later one read again; then the reader is back
    sled.engine.offer(set(vip("10.8.0.9"), 1, 1, S), 0, 3);
    sled.engine.advance(0, 4);
    sled.engine.reconcile();
    assertThat(sled.device.table()).containsEntry(A, entry(A, T));
  }
}
