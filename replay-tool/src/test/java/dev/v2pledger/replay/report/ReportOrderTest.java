package dev.v2pledger.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.testing.Seeds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The rebuild report's order and layout, kept when they were made cheaper to compute. */
class ReportOrderTest {

  @Test
  void givenRandomIds_whenSortedByTextOrder_thenTheyAreInTheOrderOfTheirPrintedText() {
    long seed = Seeds.pick("ReportOrderTest");
    Random random = new Random(seed);
    List<InstanceId> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      // Small and negative halves too: UUIDs compare signed, their text does not.
      long high = i % 3 == 0 ? random.nextInt(16) : random.nextLong();
      long low = i % 5 == 0 ? -random.nextInt(16) : random.nextLong();
      ids.add(new InstanceId(new UUID(high, low)));
    }
    List<InstanceId> byText = new ArrayList<>(ids);
    byText.sort(Comparator.comparing(InstanceId::toString));
    List<InstanceId> byOrder = new ArrayList<>(ids);
    byOrder.sort(RebuildReport::textOrder);

    assertThat(byOrder).as(Seeds.replay(seed)).isEqualTo(byText);
  }

  @Test
  void givenCellsOfDifferentWidths_whenPrinted_thenColumnsAlignAndLinesHaveNoTrailingSpaces() {
    TextTable table =
        new TextTable("A", "LONG HEADER", "C").row("wide cell", null, "x").row(1, 2, 3);

    assertThat(table.toString())
        .isEqualTo(
            "A          LONG HEADER  C\n" //
                + "wide cell  -            x\n"
                + "1          2            3\n");
  }

  @Test
  void givenAnEmptyLastColumn_whenPrinted_thenTheLineEndsAtItsLastText() {
    TextTable table = new TextTable("NAME", "NOTE").row("a", "");

    assertThat(table.toString()).isEqualTo("NAME  NOTE\na\n");
  }
}
