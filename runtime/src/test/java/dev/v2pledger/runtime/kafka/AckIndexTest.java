package dev.v2pledger.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.runtime.stats.Latencies;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.SledId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Once retention deleted the ack that covered a record, the first surviving ack's time is not its
 * apply time: the index says the time is unknown ({@code history} printed "applied +259200682 ms",
 * and stats latencies became days).
 */
class AckIndexTest {
  private static final SledId SLED = SledId.parse("51ed0000-0000-4000-8000-000000000001");
  private static final Instant T0 = Instant.parse("2026-11-23T03:10:00Z");
  private static final Instant LATER = T0.plusSeconds(3 * 24 * 3600);

  /**
   * Sled acks through 5 at T0 (deleted, if truncated), through 10 three days later, and through 20
   * a second after that.
   */
  private static AckIndex index(boolean truncated) {
    AckIndex index = new AckIndex();
    if (!truncated) {
      index.add(new ApplierAck(SLED, 0, 5, T0), 0);
    }
    index.add(new ApplierAck(SLED, 0, 10, LATER), 0);
    index.add(new ApplierAck(SLED, 0, 20, LATER.plusSeconds(1)), 0);
    index.acksStartAt(Map.of(0, truncated ? 7L : 0L));
    return index;
  }

  @Test
  void aRecordTheFirstRetainedAckCoversAfterAcksWereDeletedHasNoKnownTime() {
    AckIndex index = index(true);

    assertThat(index.lost(SLED, 0, 3)).isTrue();
    assertThat(index.covered(SLED, 0, 3)).isNull();
    assertThat(index.lost(SLED, 0, 12)).isFalse();
    assertThat(index.covered(SLED, 0, 12)).isEqualTo(LATER.plusSeconds(1));
  }

  @Test
  void whileTheAcksPartitionStartsAtZeroTheFirstCoveringAckIsTheAnswer() {
    AckIndex index = index(false);

    assertThat(index.lost(SLED, 0, 3)).isFalse();
    assertThat(index.covered(SLED, 0, 3)).isEqualTo(T0);
    assertThat(index.covered(SLED, 0, 7)).isEqualTo(LATER);
  }

  @Test
  void latenciesLeaveOutSamplesWhoseAckWasDeletedAndCountThemApart() {
    List<ProjectedTopic.Arrival> records =
        List.of(
            new ProjectedTopic.Arrival(0, 3, T0, new EventPosition(0, 0, T0.minusMillis(10))),
            new ProjectedTopic.Arrival(
                0, 15, LATER, new EventPosition(0, 1, LATER.plusSeconds(1).minusMillis(10))));

    Latencies latencies = Latencies.of(records, index(true), List.of(SLED));

    assertThat(latencies.acksLost()).isEqualTo(1);
    assertThat(latencies.notYetEverywhere()).isZero();
    assertThat(latencies.perSled().get(SLED).count()).isEqualTo(1);
    assertThat(latencies.allSleds().max()).isEqualTo(10);
  }

  /** One sled's time unknown, another's not there yet: the record is not yet everywhere. */
  @Test
  void aRecordOneSledHasNotCovered_isNotYetEverywhere_whateverTheOthersTimes() {
    SledId behind = SledId.parse("51ed0000-0000-4000-8000-000000000002");
    AckIndex index = index(true);
    index.add(new ApplierAck(behind, 0, 1, T0), 0); // through 1 only
    List<ProjectedTopic.Arrival> records =
        List.of(new ProjectedTopic.Arrival(0, 3, T0, new EventPosition(0, 0, T0.minusMillis(10))));

    Latencies latencies = Latencies.of(records, index, List.of(SLED, behind));

    assertThat(latencies.acksLost()).isEqualTo(1);
    assertThat(latencies.notYetEverywhere()).isEqualTo(1);
  }

  /**
   * Latencies below zero (an event whose log time is after the ack's: clocks of different hosts, a
   * topic that keeps CreateTime) are kept as they are: the slowest sled's, not -1.
   */
  @Test
  void negativeLatenciesOnEverySled_giveTheSlowestSledsNotMinusOne() {
    SledId other = SledId.parse("51ed0000-0000-4000-8000-000000000002");
    AckIndex index = index(false);
    index.add(new ApplierAck(other, 0, 5, T0.minusMillis(20)), 0);
    List<ProjectedTopic.Arrival> records =
        List.of(new ProjectedTopic.Arrival(0, 3, T0, new EventPosition(0, 0, T0.plusMillis(50))));

    Latencies latencies = Latencies.of(records, index, List.of(SLED, other));

    assertThat(latencies.perSled().get(SLED).max()).isEqualTo(-50);
    assertThat(latencies.perSled().get(other).max()).isEqualTo(-70);
    assertThat(latencies.allSleds().max()).isEqualTo(-50);
  }
}
