package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HeldPartitionsTest {
  static final TopicPartition A = new TopicPartition("v2p.mappings", 0);
  static final TopicPartition B = new TopicPartition("v2p.mappings", 1);
  static final long S = 1_000_000_000L;

  final HeldPartitions held = new HeldPartitions(20 * S);

  @Test
  void aStableOffsetHeldBelowTheEndForTheBoundIsStuck() {
    assertThat(held.observe(Map.of(A, 5L, B, 9L), Map.of(A, 8L, B, 9L), 0)).isEmpty();
    assertThat(held.observe(Map.of(A, 5L, B, 9L), Map.of(A, 12L, B, 10L), 19 * S)).isEmpty();
    assertThat(held.observe(Map.of(A, 5L, B, 9L), Map.of(A, 12L, B, 10L), 20 * S))
        .as("A held at 5 for 20 s; B only since 19 s")
        .containsExactly(A);
  }

  @Test
  void aMovingStableOffsetOrOneThatCaughtUpIsNotStuck() {
    held.observe(Map.of(A, 5L), Map.of(A, 8L), 0);
    held.observe(Map.of(A, 6L), Map.of(A, 9L), 15 * S); // moved: transactions are completing
    assertThat(held.observe(Map.of(A, 6L), Map.of(A, 9L), 30 * S))
        .as("held at 6 only 15 s")
        .isEmpty();
    held.observe(Map.of(A, 9L), Map.of(A, 9L), 31 * S); // caught up
    assertThat(held.observe(Map.of(A, 9L), Map.of(A, 11L), 60 * S)).isEmpty();
    assertThat(held.observe(Map.of(A, 9L), Map.of(A, 11L), 80 * S)).containsExactly(A);
  }

  @Test
  void aForgottenPartitionIsTimedAfresh() {
    held.observe(Map.of(A, 5L), Map.of(A, 8L), 0);
    assertThat(held.observe(Map.of(A, 5L), Map.of(A, 8L), 25 * S)).containsExactly(A);
    held.forget(A);
    assertThat(held.observe(Map.of(A, 5L), Map.of(A, 8L), 26 * S)).isEmpty();
    assertThat(held.observe(Map.of(A, 5L), Map.of(A, 8L), 46 * S)).containsExactly(A);
  }
}
