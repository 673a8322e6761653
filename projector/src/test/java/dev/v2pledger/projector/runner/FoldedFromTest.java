package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class FoldedFromTest {
  @Test
  void aHeaderIsAnOffsetOrNothing() {
    assertThat(FoldedFrom.parse(new RecordHeader(FoldedFrom.HEADER, FoldedFrom.value(42))))
        .isEqualTo(42L);
    assertThat(FoldedFrom.parse(null)).isNull();
    for (String bad : new String[] {"", "-1", "x", "1.5", "99999999999999999999"}) {
      assertThat(FoldedFrom.parse(header(bad))).as(bad).isNull();
    }
  }

  @Test
  void theFirstEventOfEachPartitionIsKeptUntilTheTransactionEnds() {
    OpenTransaction tx = new OpenTransaction();
    tx.begin(0);
    tx.consumed(1, 17, 0);
    tx.consumed(1, 18, 0);
    tx.consumed(2, 5, 0);
    assertThat(tx.foldedFrom(1)).isEqualTo(17L);
    assertThat(tx.foldedFrom(2)).isEqualTo(5L);
    assertThat(tx.foldedFrom(3)).isNull();
    tx.close();
    tx.begin(1);
    tx.consumed(1, 19, 0);
    assertThat(tx.foldedFrom(1)).as("a new transaction, a new start").isEqualTo(19L);
    assertThat(tx.foldedFrom(2)).isNull();
    tx.keepPosition(1, 25);
    tx.keepPosition(2, 40);
    assertThat(tx.foldedFrom(1)).as("an event's offset before a kept position").isEqualTo(19L);
    assertThat(tx.foldedFrom(2))
        .as("no event there (states it only retires): its position, nothing to fold again")
        .isEqualTo(40L);
  }

  private static RecordHeader header(String value) {
    return new RecordHeader(FoldedFrom.HEADER, value.getBytes(StandardCharsets.UTF_8));
  }
}
