package dev.v2pledger.devstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerRequestsTest {
  private static final Map<String, Long> BEFORE =
      Map.of("Fetch NONE", 100L, "Produce NONE", 40L, "EndTxn NONE", 5L);
  private static final Map<String, Long> AFTER =
      Map.of(
          "Fetch NONE", 900L,
          "Produce NONE", 240L,
          "EndTxn NONE", 5L,
          "AddPartitionsToTxn CONCURRENT_TRANSACTIONS", 2L,
          "Metadata UNKNOWN_TOPIC_OR_PARTITION", 4L);

  @Test
  void theWindowCountsOnlyWhatHappenedInIt() {
    assertThat(BrokerRequests.since(BEFORE, AFTER))
        .containsOnly(
            Map.entry("Fetch NONE", 800L),
            Map.entry("Produce NONE", 200L),
            Map.entry("AddPartitionsToTxn CONCURRENT_TRANSACTIONS", 2L),
            Map.entry("Metadata UNKNOWN_TOPIC_OR_PARTITION", 4L));
  }

  @Test
  void requestsAreSummedOverTheirAnswersMostFrequentFirst() {
    Map<String, Long> window = BrokerRequests.since(BEFORE, AFTER);
    assertThat(BrokerRequests.requests(window))
        .containsExactly(
            Map.entry("Fetch", 800L),
            Map.entry("Produce", 200L),
            Map.entry("Metadata", 4L),
            Map.entry("AddPartitionsToTxn", 2L));
  }

  @Test
  void errorsAreThoseOfDataAndTransactionalRequestsOnly() {
    assertThat(BrokerRequests.errors(BrokerRequests.since(BEFORE, AFTER)))
        .containsOnly(Map.entry("AddPartitionsToTxn CONCURRENT_TRANSACTIONS", 2L));
  }
}
