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

  @Test
  void lettersArrivingOutOfOrder_inSeveralPartitions_areFound_andAbsentOffsetsAreNot() {
    LetterPositions letters = new LetterPositions();
    letters.add(2, 40, "UNKNOWN_SCHEMA");
    letters.add(0, 7, "CORRUPT");
    letters.add(2, 3, "MISROUTED");
    letters.add(0, 1, "UNKNOWN_SCHEMA");
    letters.add(2, 17, "KEY_MISMATCH");
    letters.add(5, 0, "INVALID_VALUE");
    letters.seal();

    assertThat(letters.reason(2, 3)).isEqualTo("MISROUTED");
    assertThat(letters.reason(2, 17)).isEqualTo("KEY_MISMATCH");
    assertThat(letters.reason(2, 40)).isEqualTo("UNKNOWN_SCHEMA");
    assertThat(letters.reason(0, 1)).isEqualTo("UNKNOWN_SCHEMA");
    assertThat(letters.reason(0, 7)).isEqualTo("CORRUPT");
    assertThat(letters.reason(5, 0)).isEqualTo("INVALID_VALUE");
    assertThat(letters.size()).isEqualTo(6);
    for (long absent : new long[] {-1, 0, 2, 4, 16, 18, 39, 41, Long.MAX_VALUE, Long.MIN_VALUE}) {
      assertThat(letters.reason(2, absent)).as("offset %d", absent).isNull();
    }
    assertThat(letters.reason(0, 3)).as("an offset another partition has").isNull();
    assertThat(letters.reason(5, 1)).isNull();
    assertThat(letters.reason(1, 7)).as("a partition without letters").isNull();
  }

  @Test
  void aPositionNamedTwice_isKeptOnce_withTheReasonOfTheLetterReadLast() {
    LetterPositions letters = new LetterPositions();
    letters.add(1, 9, "UNKNOWN_SCHEMA");
    letters.add(1, 4, "CORRUPT");
    letters.add(1, 9, "MISROUTED");
    letters.add(1, 4, "CORRUPT");
    letters.add(1, 2, "CORRUPT");
    letters.add(1, 9, "KEY_MISMATCH");
    letters.seal();

    assertThat(letters.size()).isEqualTo(3);
    assertThat(letters.reason(1, 9)).isEqualTo("KEY_MISMATCH");
    assertThat(letters.reason(1, 4)).isEqualTo("CORRUPT");
    assertThat(letters.reason(1, 2)).isEqualTo("CORRUPT");
    assertThat(letters.reason(1, 3)).isNull();
  }

  @Test
  void nothingAdded_answersNull_andUnsealedOrSealedMisuseIsRefused() {
    LetterPositions letters = new LetterPositions();
    assertThatThrownBy(() -> letters.reason(0, 0)).isInstanceOf(IllegalStateException.class);
    letters.seal();

    assertThat(letters.reason(0, 0)).isNull();
    assertThat(letters.size()).isZero();
    assertThatThrownBy(() -> letters.add(0, 0, "CORRUPT"))
        .isInstanceOf(IllegalStateException.class);
  }

  /** More distinct reasons than the byte table holds: each is still told exactly. */
  @Test
  void reasonsPastTheTable_areKeptExactly() {
    LetterPositions letters = new LetterPositions();
    for (int i = 0; i < 600; i++) {
      letters.add(0, 1000 - i, "reason-" + i);
    }
    letters.add(0, 1000, "reason-800"); // 1000 again: an overflow reason after a table one
    letters.add(0, 401, "reason-1"); // 401 again: a table reason after an overflow one
    letters.add(0, 402, "reason-700"); // 402 again: an overflow reason after an overflow one
    letters.seal();

    assertThat(letters.size()).isEqualTo(600);
    assertThat(letters.reason(0, 1000)).isEqualTo("reason-800");
    assertThat(letters.reason(0, 999)).isEqualTo("reason-1");
    assertThat(letters.reason(0, 745)).isEqualTo("reason-255");
    assertThat(letters.reason(0, 401)).isEqualTo("reason-1");
    assertThat(letters.reason(0, 402)).isEqualTo("reason-700");
    assertThat(letters.reason(0, 403)).isEqualTo("reason-597");
    assertThat(letters.reason(0, 400)).isNull();
    assertThat(letters.reason(0, 1001)).isNull();
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
      letters.add((int) letter[0], letter[1], reason);
      expected.computeIfAbsent((int) letter[0], p -> new HashMap<>()).put(letter[1], reason);
    }
    letters.seal();

    assertThat(letters.size()).isEqualTo(expected.values().stream().mapToLong(Map::size).sum());
    List<String> wrong = new ArrayList<>();
    for (int partition = 0; partition < 5; partition++) {
      Map<Long, String> offsets = expected.getOrDefault(partition, Map.of());
      for (long offset = -1; offset <= 80_001; offset++) {
        String reason = letters.reason(partition, offset);
        if (!Objects.equals(reason, offsets.get(offset))) {
          wrong.add(partition + ":" + offset + " " + reason + " not " + offsets.get(offset));
        }
      }
    }
    assertThat(wrong).isEmpty();
  }
}
