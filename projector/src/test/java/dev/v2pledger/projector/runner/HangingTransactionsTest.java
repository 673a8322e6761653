package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

/**
 * A coordinator whose partition of {@code __transaction_state} has no leader does not answer the
 * listing of transactions, without an error: no transaction is called hanging then.
 */
class HangingTransactionsTest {
  private static final Node BROKER = new Node(1, "b1", 9092);

  @Test
  void thePartitionsOfTheCoordinatorsTopicWithoutALeaderAreNamed() {
    TopicDescription coordinators =
        new TopicDescription(
            "__transaction_state",
            true,
            List.of(
                new TopicPartitionInfo(0, BROKER, List.of(BROKER), List.of(BROKER)),
                new TopicPartitionInfo(1, null, List.of(BROKER), List.of()),
                new TopicPartitionInfo(2, Node.noNode(), List.of(BROKER), List.of())));

    assertThat(HangingTransactions.leaderless(coordinators)).containsExactly(1, 2);
  }
}
