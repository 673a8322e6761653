package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.U;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class AddedPartitionsTest {
  private static final TopicPartition ADDED = new TopicPartition(Topics.MAPPINGS, 6);

  private final EngineFixture sled = new EngineFixture(U);
  private final AddedPartitions partitions = new AddedPartitions(sled.loopContext());
  private final List<TopicPartition> assigned = new ArrayList<>();

  @Test
  void
      givenTheEndsOfAnAddedPartitionCannotBeTaken_thenItIsNotAssigned_andClearsAreNotWithheldYet() {
    sled.snapshot(List.of());

    assertThatThrownBy(
            () ->
                partitions.read(
                    List.of(ADDED),
                    some -> {
                      throw new TimeoutException("no leader for " + some);
                    },
                    assigned::addAll))
        .isInstanceOf(TimeoutException.class);

    assertThat(assigned)
        .as("not read before its end is known: the next look tries again")
        .isEmpty();
    assertThat(sled.engine.withheld()).isNull();
  }

  /**
   * DESIGN "Partitions and topology": a broker that does not give a new partition's end offsets (no
   * leader for it) does not stall the device's work: the look gives up (its wait is bounded) and
   * the step goes on, where the timeout used to end the step as a Kafka error; the next look reads
   * the partition once its ends come.
   */
  @Test
  void aLookWhoseEndsDoNotCome_leavesThePartitionToTheNextLook_withoutThrowing() {
    sled.snapshot(List.of());

    boolean assignedNow =
        partitions.look(List.of(ADDED), AddedPartitionsTest::noEnds, assigned::addAll);

    assertThat(assignedNow).isFalse();
    assertThat(assigned).isEmpty();
    assertThat(sled.engine.withheld()).isNull();
    assertThat(partitions.untilNextLook()).as("the next look, later").hasSeconds(20);
    for (int look = 0; look < 6; look++) {
      partitions.look(List.of(ADDED), AddedPartitionsTest::noEnds, assigned::addAll);
    }
    assertThat(partitions.untilNextLook())
        .as("a partition left without a leader costs ever less")
        .isEqualTo(AddedPartitions.MAX_LOOK_BACKOFF);
    assertThat(partitions.look(List.of(ADDED), some -> Map.of(ADDED, 7L), assigned::addAll))
        .as("the next look")
        .isTrue();
    assertThat(assigned).containsExactly(ADDED);
    assertThat(sled.engine.withheld()).contains("partition(s) [6]");
    assertThat(partitions.untilNextLook()).hasSeconds(10);
  }

  private static Map<TopicPartition, Long> noEnds(List<TopicPartition> some) {
    throw new TimeoutException("no leader for " + some);
  }

  @Test
  void givenTheEndsOfAnAddedPartition_thenClearsAreWithheldBeforeItIsAssigned() {
    sled.snapshot(List.of());

    Map<Integer, Long> ends =
        partitions.read(
            List.of(ADDED),
            some -> Map.of(ADDED, 42L),
            added -> {
              assertThat(sled.engine.withheld())
                  .as("clears withheld when the partition is assigned")
                  .isNotNull();
              assigned.addAll(added);
            });

    assertThat(ends).containsExactly(Map.entry(6, 42L));
    assertThat(assigned).containsExactly(ADDED);
    sled.engine.advance(6, 42);
    assertThat(sled.engine.withheld()).as("read to its end").isNull();
  }
}
