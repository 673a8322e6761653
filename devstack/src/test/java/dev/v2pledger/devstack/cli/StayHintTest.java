package dev.v2pledger.devstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.devstack.report.JsonReportTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code --stay} prints: commands to paste, the worst gap's history with when it began. */
class StayHintTest {

  @Test
  void namesTheWorstGapsIpAndWhenTheGapBegan() {
    String hint =
        StayOption.hint("127.0.0.1:9092", JsonReportTest.report("v2p-ledger", 1, List.of()));

    assertThat(hint.lines())
        .contains(
            "  java -jar replay-tool/target/replay-tool.jar verify --bootstrap-servers"
                + " 127.0.0.1:9092",
            "  java -jar replay-tool/target/replay-tool.jar history --bootstrap-servers"
                + " 127.0.0.1:9092 --ip 7777/172.30.0.5   # the worst gap, from"
                + " 2026-11-23T03:10:00Z");
  }
}
