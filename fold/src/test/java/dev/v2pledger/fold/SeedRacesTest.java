package dev.v2pledger.fold;

import static dev.v2pledger.fold.FoldFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.domain.MappingState;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Version.Verdict;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.VmmState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three races that motivate v2p-ledger (DESIGN, "Why"), at the fold. */
class SeedRacesTest {

  @Test
  void givenMigrationToT_whenItFails_thenEveryPairIsReassertedOnTheSourceAtANewGeneration() {
    InstanceState state = migratingToT();

    FoldResult result =
        Fold.apply(state, report(M1, MigrationSide.TARGET, MigrationState.FAILED, 4));

    assertThat(state.locationGen()).isEqualTo(1);
    assertThat(result.records()).containsExactly(bothSet(SLED_S, 2));
    assertThat(result.state().activeVmm().vmmId()).isEqualTo(VMM_S);
    assertThat(result.effects())
        .contains(new Effect.MigrationResolved(M1, MigrationOutcome.FAILED, Rule.LOCATION));
  }

  /**
   * With two NICs the records come from the difference of the desired tables (rule 9), not from the
   * one-NIC shortcut: a failed migration's re-assert still writes every pair of every NIC again,
   * though no target changed.
   */
  @Test
  void givenTwoNics_whenAMigrationFails_thenEveryPairOfBothIsReassertedAtANewGeneration() {
    InstanceState state = migratingToT(otherNic(1, 1, "10.9.0.1"));

    FoldResult result =
        Fold.apply(state, report(M1, MigrationSide.TARGET, MigrationState.FAILED, 4));

    assertThat(result.records()).hasSize(3);
    assertThat(result.records())
        .allSatisfy(
            r -> {
              assertThat(r.state()).isEqualTo(MappingState.SET);
              assertThat(r.target().sledId()).isEqualTo(SLED_S);
              assertThat(r.locationGen()).isEqualTo(state.locationGen() + 1);
            });
    assertThat(result.records()).contains(bothSet(SLED_S, state.locationGen() + 1));
  }

  /** A migration within one sled moves the location (another VMM), never the target. */
  @Test
  void givenTwoNics_whenAMigrationWithinTheSledCompletes_thenEveryPairIsWrittenAgain() {
    InstanceState state =
        given(
            nicAttached(),
            otherNic(1, 1, "10.9.0.1"),
            placed(VMM_S, SLED_S),
            started(M1, VMM_S, VMM_T, SLED_S));

    FoldResult result =
        Fold.apply(state, report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3));

    assertThat(result.state().location().vmm().vmmId()).isEqualTo(VMM_T);
    assertThat(result.records()).hasSize(3);
    assertThat(result.records())
        .allSatisfy(r -> assertThat(r.locationGen()).isEqualTo(state.locationGen() + 1));
  }

  @Test
  void givenMigrationCompleted_whenSourcePortIsDestroyed_thenTheNewLocationStays() {
    InstanceState state =
        migratingToT(report(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3));

    FoldResult result = Fold.apply(state, vmm(VMM_S, VmmState.DESTROYED, 7));

    assertThat(state.location().vmm().sledId()).isEqualTo(SLED_T);
    assertThat(result.records()).isEmpty();
    assertThat(result.isIgnored()).isFalse();
    assertThat(result.state().location().vmm().sledId()).isEqualTo(SLED_T);
    assertThat(result.state().isTerminal(VMM_S)).isTrue();
  }

  @Test
  void
      givenInstanceMovedAtANewerGeneration_whenAStaleRepushOfTheOldLocationArrives_thenItNeverWins() {
    List<V2PMapping> log = new ArrayList<>();
    InstanceState state = InstanceState.empty(INSTANCE);
    for (var event :
        List.of(
            nicAttached(),
            placed(VMM_S, SLED_S),
            started(M1, VMM_S, VMM_T, SLED_T),
            report(M1, MigrationSide.SOURCE, MigrationState.COMPLETED, 5))) {
      FoldResult result = Fold.apply(state, event);
      log.addAll(result.records());
      state = result.state();
    }
    V2PMapping repushOnA = set(V4, SLED_S, 1);
    MappingTable table = MappingTable.of(log);

    assertThat(table.offer(repushOnA)).isEqualTo(Verdict.OLDER);
    assertThat(table.inForce(new Vip(VNI, V4)).target().sledId()).isEqualTo(SLED_T);
    assertThat(
            Fold.apply(state, report(M1, MigrationSide.SOURCE, MigrationState.COMPLETED, 4))
                .ignored())
        .isEqualTo(IgnoredReason.STALE_REPORT);
    assertThat(Fold.apply(state, vmm(VMM_T, VmmState.RUNNING, 1)).records()).isEmpty();
  }
}
