package dev.v2pledger.replay.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact positions {@link DeadLettered} keeps, against the map it kept before. */
class LetterPositionsTest {
  /** The timestamp of the records the letters above name (log-append time, ms). */
  private static final long T = 1_765_000_000_000L;

  /**
   * {@code v2p.events} made again while {@code v2p.events.dlq} was kept: a letter's position now
   * holds another record (another timestamp), which it was not written for and does not name.
   */
  @Test
  void aLetter_countsOnlyForTheRecordItWasWrittenFor() {
    LetterPositions letters = new LetterPositions();
    letters.add(0, 5, T, "UNKNOWN_SCHEMA");
    letters.add(0, 9, T + 4, "CORRUPT");
    letters.seal();

    assertThat(letters.reason(0, 5, T + 60_000)).as("another record at 0/5").isNull();
    assertThat(letters.reason(0, 5, T - 1)).isNull();
    assertThat(letters.reason(0, 9, T)).isNull();
    assertThat(letters.reason(0, 5, T)).isEqualTo("UNKNOWN_SCHEMA");
    assertThat(letters.reason(0, 9, T + 4)).isEqualTo("CORRUPT");
  }

  /** Letters of the old topic and of the new one name the same position: each its own record. */
  @Test
  void onePosition_letteredForTwoRecords_keepsBoth_andARecordNamedTwiceOnce() {
    LetterPositions letters = new LetterPositions();
    letters.add(3, 0, T + 100, "CORRUPT"); // the new topic's, read first (another letter partition)
    letters.add(3, 0, T, "UNKNOWN_SCHEMA");
    letters.add(3, 1, T + 1, "CORRUPT");
    letters.add(3, 0, T, "MISROUTED"); // the old record again: read last, its reason kept
    letters.seal();

    assertThat(letters.size()).isEqualTo(3);
    assertThat(letters.reason(3, 0, T)).isEqualTo("MISROUTED");
    assertThat(letters.reason(3, 0, T + 100)).isEqualTo("CORRUPT");
    assertThat(letters.reason(3, 0, T + 1)).isNull();
    assertThat(letters.reason(3, 1, T + 1)).isEqualTo("CORRUPT");
  }

  /** A letter that names no timestamp (no projector writes one) counts for any record there. */
  @Test
  void aLetterWithoutTimestamp_countsForWhateverRecordIsAtItsPosition() {
    LetterPositions letters = new LetterPositions();
    letters.add(1, 4, LetterPositions.ANY_TIME, "NO_REASON");
    letters.add(1, 4, T, "CORRUPT");
    letters.add(1, 6, LetterPositions.ANY_TIME, "NO_REASON");
    letters.seal();

    assertThat(letters.reason(1, 4, T)).as("its own letter first").isEqualTo("CORRUPT");
    assertThat(letters.reason(1, 4, T + 9)).isEqualTo("NO_REASON");
    assertThat(letters.reason(1, 6, 0)).isEqualTo("NO_REASON");
    assertThat(letters.reason(1, 5, T)).isNull();
  }

  /**
   * After a read, the letters whose record was not found: another record (or none) at the position
   * within the read, past the end (or in a partition the topic lacks), before the start; not those
   * past where the read stopped.
   */
  @Test
  void stale_countsLettersWhoseRecordIsNotThere_byWhere() {
    Map<Integer, Long> starts = Map.of(0, 2L);
    Map<Integer, Long> ends = Map.of(0, 10L, 1, 0L);
    for (long cut : new long[] {10, 6}) {
      LetterPositions letters = new LetterPositions();
      letters.add(0, 0, T, "CORRUPT"); // deleted
      letters.add(0, 1, T + 1, "CORRUPT"); // deleted
      letters.add(0, 3, T + 3, "CORRUPT"); // its record
      letters.add(0, 5, T - 5, "CORRUPT"); // another record there
      letters.add(0, 6, LetterPositions.ANY_TIME, "CORRUPT"); // whatever is there
      letters.add(0, 8, T + 8, "CORRUPT"); // no record there (a transaction marker, say)
      letters.add(0, 12, T + 12, "CORRUPT"); // past the end
      letters.add(0, 15, T + 15, "CORRUPT");
      letters.add(1, 0, T, "CORRUPT"); // an empty partition
      letters.add(4, 0, T, "CORRUPT"); // a partition the topic lacks
      letters.seal();
      for (long offset = 2; offset < cut; offset++) {
        if (offset != 8) {
          letters.reason(0, offset, T + offset);
        }
      }

      assertThat(letters.stale(starts, Map.of(0, cut), ends))
          .as("read up to %d", cut)
          .isEqualTo(new LetterPositions.Stale(cut == 10 ? 2 : 1, 4, 2));
    }
    LetterPositions none = new LetterPositions().seal();
    assertThat(none.stale(starts, ends, ends).total()).isZero();
  }

  @Test
  void lettersArrivingOutOfOrder_inSeveralPartitions_areFound_andAbsentOffsetsAreNot() {
    LetterPositions letters = new LetterPositions();
    letters.add(2, 40, T, "UNKNOWN_SCHEMA");
    letters.add(0, 7, T, "CORRUPT");
    letters.add(2, 3, T, "MISROUTED");
    letters.add(0, 1, T, "UNKNOWN_SCHEMA");
    letters.add(2, 17, T, "KEY_MISMATCH");
    letters.add(5, 0, T, "INVALID_VALUE");
    letters.seal();

    assertThat(letters.reason(2, 3, T)).isEqualTo("MISROUTED");
    assertThat(letters.reason(2, 17, T)).isEqualTo("KEY_MISMATCH");
    assertThat(letters.reason(2, 40, T)).isEqualTo("UNKNOWN_SCHEMA");
    assertThat(letters.reason(0, 1, T)).isEqualTo("UNKNOWN_SCHEMA");
    assertThat(letters.reason(0, 7, T)).isEqualTo("CORRUPT");
    assertThat(letters.reason(5, 0, T)).isEqualTo("INVALID_VALUE");
    assertThat(letters.size()).isEqualTo(6);
    for (long absent : new long[] {-1, 0, 2, 4, 16, 18, 39, 41, Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertThat(letters.reason(2, absent, T)).as("offset %d", absent).isNull();
    }
    assertThat(letters.reason(0, 3, T)).as("an offset another partition has").isNull();
    assertThat(letters.reason(5, 1, T)).isNull();
    assertThat(letters.reason(1, 7, T)).as("a partition without letters").isNull();
  }

  @Test
  void aPositionNamedTwice_isKeptOnce_withTheReasonOfTheLetterReadLast() {
    LetterPositions letters = new LetterPositions();
    letters.add(1, 9, T, "UNKNOWN_SCHEMA");
    letters.add(1, 4, T, "CORRUPT");
    letters.add(1, 9, T, "MISROUTED");
    letters.add(1, 4, T, "CORRUPT");
    letters.add(1, 2, T, "CORRUPT");
    letters.add(1, 9, T, "KEY_MISMATCH");
    letters.seal();

    assertThat(letters.size()).isEqualTo(3);
    assertThat(letters.reason(1, 9, T)).isEqualTo("KEY_MISMATCH");
    assertThat(letters.reason(1, 4, T)).isEqualTo("CORRUPT");
    assertThat(letters.reason(1, 2, T)).isEqualTo("CORRUPT");
    assertThat(letters.reason(1, 3, T)).isNull();
  }

  @Test
  void nothingAdded_answersNull_andUnsealedOrSealedMisuseIsRefused() {
    LetterPositions letters = new LetterPositions();
    assertThatThrownBy(() -> letters.reason(0, 0, T)).isInstanceOf(IllegalStateException.class);
    letters.seal();

    assertThat(letters.reason(0, 0, T)).isNull();
    assertThat(letters.size()).isZero();
    assertThatThrownBy(() -> letters.add(0, 0, T, "CORRUPT"))
        .isInstanceOf(IllegalStateException.class);
  }

  /** More distinct reasons than the byte table holds: each is still told exactly. */
  @Test
  void reasonsPastTheTable_areKeptExactly() {
    LetterPositions letters = new LetterPositions();
    for (int i = 0; i < 600; i++) {
      letters.add(0, 1000 - i, T, "reason-" + i);
    }
    letters.add(0, 1000, T, "reason-800"); // 1000 again: an overflow reason after a table one
    letters.add(0, 401, T, "reason-1"); // 401 again: a table reason after an overflow one
    letters.add(0, 402, T, "reason-700"); // 402 again: an overflow reason after an overflow one
    letters.seal();

    assertThat(letters.size()).isEqualTo(600);
    assertThat(letters.reason(0, 1000, T)).isEqualTo("reason-800");
    assertThat(letters.reason(0, 999, T)).isEqualTo("reason-1");
    assertThat(letters.reason(0, 745, T)).isEqualTo("reason-255");
    assertThat(letters.reason(0, 401, T)).isEqualTo("reason-1");
    assertThat(letters.reason(0, 402, T)).isEqualTo("reason-700");
    assertThat(letters.reason(0, 403, T)).isEqualTo("reason-597");
    assertThat(letters.reason(0, 400, T)).isNull();
    assertThat(letters.reason(0, 1001, T)).isNull();
  }

  /** Many letters in a shuffled order, with repeats: the same answers as a map's last put. */
  @Test
  void shuffledLettersWithRepeats_answerAsAMapDid() {
    Random random = new Random(42);
    List<long[]> named = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      named.add(new long[] {random.nextInt(4), random.nextInt(80_000), random.nextInt(5)});
    }
    Collections.shuffle(named, random);
    LetterPositions letters = new LetterPositions();
    Map<Integer, Map<Long, String>> expected = new HashMap<>();
    for (long[] letter : named) {
      String reason = "R" + letter[2];
      letters.add((int) letter[0], letter[1], T, reason);
      expected.computeIfAbsent((int) letter[0], p -> new HashMap<>()).put(letter[1], reason);
    }
    letters.seal();

    assertThat(letters.size()).isEqualTo(expected.values().stream().mapToLong(Map::size).sum());
    List<String> wrong = new ArrayList<>();
    for (int partition = 0; partition < 5; partition++) {
      Map<Long, String> offsets = expected.getOrDefault(partition, Map.of());
      for (long offset = -1; offset <= 80_001; offset++) {
        String reason = letters.reason(partition, offset, T);
        if (!Objects.equals(reason, offsets.get(offset))) {
          wrong.add(partition + ":" + offset + " " + reason + " not " + offsets.get(offset));
        }
      }
    }
    assertThat(wrong).isEmpty();
  }
}
