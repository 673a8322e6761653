package dev.v2pledger.fold;

import static dev.v2pledger.fold.FoldFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DESIGN "Registers": the order is total, so a register ends the same whatever order its reports
 * arrive in, even when a publisher contradicts itself (two states at one gen). Every sequence of
 * three reports of one register, drawn from every state at two gens, is folded; sequences of the
 * same reports must end with the same registers and location ({@code location_gen} counts the moves
 * on the way, which do depend on the order).
 */
class RegisterOrderTest {

  @Test
  void aSideEndsTheSameWhateverOrderItsReportsArriveIn() {
    List<InstanceEvent> reports = new ArrayList<>();
    for (MigrationSide side : MigrationSide.values()) {
      for (MigrationState state : MigrationState.values()) {
        for (long gen = 1; gen <= 2; gen++) {
          reports.add(report(M1, side, state, gen));
        }
      }
    }
    assertEveryOrderEndsTheSame(migratingToT(), reports);
  }

  @Test
  void aVmmEndsTheSameWhateverOrderItsReportsArriveIn() {
    for (VmmId vmm : List.of(VMM_T, VMM_U)) { // named by the migration, and not named at all
      List<InstanceEvent> reports = new ArrayList<>();
      for (VmmState state : VmmState.values()) {
        for (long gen = 1; gen <= 2; gen++) {
          reports.add(vmm(vmm, state, gen));
        }
      }
      assertEveryOrderEndsTheSame(migratingToT(), reports);
    }
  }

  @Test
  void givenTheTargetReportsCompletedAndFailedAtOneGen_thenTheFailureWinsInEitherOrder() {
    InstanceEvent completed = report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3);
    InstanceEvent failed = report(M1, MigrationSide.TARGET, MigrationState.FAILED, 3);

    InstanceState completedFirst = migratingToT(completed, failed);
    InstanceState failedFirst = migratingToT(failed, completed);

    assertThat(completedFirst.sideReports()).isEqualTo(failedFirst.sideReports());
    assertThat(completedFirst.location()).isEqualTo(failedFirst.location());
    assertThat(completedFirst.location().vmm().vmmId()).as("the source stays").isEqualTo(VMM_S);
    assertThat(Fold.apply(migratingToT(failed), completed).ignored())
        .isEqualTo(IgnoredReason.STALE_REPORT);
  }

  /**
   * Folds every sequence of three of {@code reports} (repeats included) after {@code start}, and
   * checks that sequences of the same reports end in the same state.
   */
  private static void assertEveryOrderEndsTheSame(
      InstanceState start, List<InstanceEvent> reports) {
    int n = reports.size();
    Map<String, InstanceState> endOf = new HashMap<>();
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        for (int c = 0; c < n; c++) {
          int[] picked = {a, b, c};
          InstanceState end = start;
          for (int i : picked) {
            end = Fold.apply(end, reports.get(i)).state();
          }
          Arrays.sort(picked);
          String reportsFolded = Arrays.toString(picked);
          InstanceState first = endOf.putIfAbsent(reportsFolded, end);
          if (first != null) {
            String order = reportsFolded + " in the order " + List.of(a, b, c);
            assertThat(end.sideReports())
                .as("side registers of %s", order)
                .containsExactlyInAnyOrderElementsOf(first.sideReports());
            assertThat(end.vmms())
                .as("VMM registers of %s", order)
                .containsExactlyInAnyOrderElementsOf(first.vmms());
            assertThat(end.location()).as("location after %s", order).isEqualTo(first.location());
          }
        }
      }
    }
  }
}
