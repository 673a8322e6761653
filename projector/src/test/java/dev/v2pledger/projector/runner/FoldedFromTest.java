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
    assertThat(tx.firstOffset(1)).isEqualTo(17L);
    assertThat(tx.firstOffset(2)).isEqualTo(5L);
    assertThat(tx.firstOffset(3)).isNull();
    tx.close();
    tx.begin(1);
    tx.consumed(1, 19, 0);
    assertThat(tx.firstOffset(1)).as("a new transaction, a new start").isEqualTo(19L);
    assertThat(tx.firstOffset(2)).isNull();
  }

  private static RecordHeader header(String value) {
    return new RecordHeader(FoldedFrom.HEADER, value.getBytes(StandardCharsets.UTF_8));
  }
}
