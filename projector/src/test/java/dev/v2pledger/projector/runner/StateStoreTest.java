package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.InstanceState;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateStoreTest {
  private final StateStore store = new StateStore();
  private final InstanceState a1 =
      Fold.apply(InstanceState.empty(Events.A), Events.attached(Events.A, "10.0.0.1", 1)).state();
  private final InstanceState a2 = Fold.apply(a1, Events.placed(Events.A, 1)).state();
  private final InstanceState b1 =
      Fold.apply(InstanceState.empty(Events.B), Events.attached(Events.B, "10.0.0.2", 2)).state();

  @Test
  void rollbackPutsBackWhatTheLastCommitLeft_andForgetsInstancesItCreated() {
    store.load(0, new HashMap<>(Map.of(Events.A, a1)));
    store.put(0, a2);
    store.put(0, b1);
    assertThat(store.size()).isEqualTo(2);
    assertThat(store.changed()).extracting(StateStore.Changed::state).containsExactly(a2, b1);

    store.rollback();

    assertThat(store.get(0, Events.A)).isEqualTo(a1);
    assertThat(store.get(0, Events.B)).isEqualTo(InstanceState.empty(Events.B));
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.changed()).isEmpty();
  }

  @Test
  void theUndoLogKeepsTheFirstBefore_andCommitForgetsIt() {
    store.load(0, new HashMap<>());
    store.put(0, a1);
    store.put(0, a2);
    assertThat(store.changed()).singleElement().satisfies(c -> assertThat(c.state()).isEqualTo(a2));

    store.committed();
    store.rollback();

    assertThat(store.get(0, Events.A)).isEqualTo(a2);
  }

  @Test
  void droppingAPartitionDropsItsStatesAndUndoEntries() {
    store.load(0, new HashMap<>());
    store.load(1, new HashMap<>());
    store.put(0, a1);
    store.put(1, b1);

    store.drop(1);
    store.rollback();

    assertThat(store.holds(1)).isFalse();
    assertThat(store.size()).isZero();
    assertThatThrownBy(() -> store.get(1, Events.B))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("partition 1 is not restored here");
  }
}
