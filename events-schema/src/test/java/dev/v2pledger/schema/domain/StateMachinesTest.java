package dev.v2pledger.schema.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StateMachinesTest {

  @Test
  void nothingFollowsATerminalVmmState() {
    for (VmmState next : VmmState.values()) {
      for (VmmState terminal : new VmmState[] {VmmState.DESTROYED, VmmState.FAILED}) {
        assertThat(next.canFollow(terminal))
            .as("%s after %s", next, terminal)
            .isEqualTo(next == terminal);
      }
    }
  }

  @Test
  void vmmLifecycleMovesForwardOnly() {
    assertThat(VmmState.RUNNING.canFollow(VmmState.STARTING)).isTrue();
    assertThat(VmmState.RUNNING.canFollow(VmmState.MIGRATING)).isTrue();
    assertThat(VmmState.DESTROYED.canFollow(VmmState.STOPPED)).isTrue();
    assertThat(VmmState.STARTING.canFollow(VmmState.RUNNING)).isFalse();
    assertThat(VmmState.RUNNING.canFollow(VmmState.STOPPED)).isFalse();
  }

  @Test
  void terminalStatesAreExactlyTheDocumentedOnes() {
    assertThat(Arrays.stream(VmmState.values()).filter(VmmState::isTerminal))
        .containsExactlyInAnyOrder(VmmState.DESTROYED, VmmState.FAILED);
    assertThat(Arrays.stream(MigrationState.values()).filter(MigrationState::isTerminal))
        .containsExactlyInAnyOrder(MigrationState.COMPLETED, MigrationState.FAILED);
    assertThat(MigrationState.COMPLETED.validPrevious())
        .containsExactlyInAnyOrder(MigrationState.PENDING, MigrationState.IN_PROGRESS);
  }
}
