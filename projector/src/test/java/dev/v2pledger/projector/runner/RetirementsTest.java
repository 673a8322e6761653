package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.Vni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DESIGN "Bounded growth" in the runner: what is removed, when, and what an abort gives back. */
class RetirementsTest {
  private static final Duration GRACE = Duration.ofSeconds(60);
  private static final MappingKey KEY = new MappingKey(new Vni(7777), IpAddr.parse("10.0.0.1"), 1);
  private final StateStore store = new StateStore();
  private final Retirements retirements = new Retirements(GRACE);

  @BeforeEach
  void partition() {
    store.load(0, new HashMap<>());
  }

  private InstanceState fold(InstanceState state, InstanceEvent event, long at) {
    InstanceState after = Fold.apply(state, event).state();
    store.put(0, after);
    retirements.folded(0, state, after, at);
    return after;
  }

  private InstanceState attachedAndPlaced() {
    InstanceState state = store.get(0, Events.A);
    state = fold(state, Events.attached(Events.A, "10.0.0.1", 1), 0);
    return fold(state, Events.placed(Events.A, 1), 0);
  }

  @Test
  void aDetachedNicsKeyIsRemovedOnlyAfterTheGracePeriod() {
    InstanceState detached = fold(attachedAndPlaced(), Events.detached(Events.A), 1_000);

    assertThat(retirements.apply(store, 1_000 + GRACE.toMillis() - 1).keySet()).isEmpty();
    assertThat(retirements.apply(store, 1_000 + GRACE.toMillis()))
        .as("the key, up to the generation of its CLEARED record (no later record is at or below)")
        .containsExactly(Map.entry(KEY, detached.locationGen()));
    assertThat(store.get(0, Events.A).retired()).isEmpty();
    assertThat(detached.retired()).containsExactly(KEY);
  }

  @Test
  void aKeyOwnedAgainThenRetiredAgainIsRemovedAGracePeriodAfterTheSecondRetirement() {
    InstanceState detached = fold(attachedAndPlaced(), Events.detached(Events.A), 1_000);
    InstanceState again = fold(detached, Events.attached(Events.A, "10.0.0.1", 1), 2_000);
    assertThat(again.retired()).as("owned again").isEmpty();
    fold(again, Events.detached(Events.A), 30_000);

    assertThat(retirements.apply(store, 1_000 + GRACE.toMillis()).keySet())
        .as("the first retirement's removal went with the key's new owner")
        .isEmpty();
    assertThat(store.get(0, Events.A).retired()).containsExactly(KEY);
    assertThat(retirements.apply(store, 30_000 + GRACE.toMillis()).keySet()).containsExactly(KEY);
  }

  @Test
  void aKeyTheFoldForgetsPastItsBoundIsNeverRemoved() {
    InstanceState state = attachedAndPlaced();
    int reallocations = InstanceState.Bounds.RETIRED + 1; // the first allocation is forgotten
    for (int epoch = 2; epoch <= reallocations + 1; epoch++) {
      state = fold(state, Events.attached(Events.A, "10.0.0.1", epoch), epoch);
    }
    assertThat(state.retired()).hasSize(InstanceState.Bounds.RETIRED).doesNotContain(KEY);

    Map<MappingKey, Long> removed = retirements.apply(store, reallocations + 1 + GRACE.toMillis());

    assertThat(removed).hasSize(InstanceState.Bounds.RETIRED).doesNotContainKey(KEY);
    assertThat(store.get(0, Events.A).retired()).isEmpty();
  }

  @Test
  void aDeletedInstanceLosesItsKeysThenItsState_andAnAbortGivesThemBack() {
    fold(attachedAndPlaced(), InstanceEvent.of(Events.A, new EventPayload.InstanceDeleted()), 5);
    store.committed();
    retirements.committed();

    assertThat(retirements.apply(store, 5 + GRACE.toMillis()).keySet()).containsExactly(KEY);
    assertThat(store.changed())
        .singleElement()
        .satisfies(changed -> assertThat(changed.state()).isNull());
    store.rollback();
    retirements.rolledBack();

    assertThat(store.get(0, Events.A).deleted()).isTrue();
    assertThat(retirements.apply(store, 5 + GRACE.toMillis()).keySet()).containsExactly(KEY);
  }

  /**
   * Log times can go back within a partition (a new leader with a slower clock): a NIC detached at
   * 2 000 then the instance deleted at 1 000. The state waits for its key's removal, which needs it
   * (its key was never tombstoned: the state was removed at 1 000 + G, and at 2 000 + G the key was
   * found in no retired list).
   */
  @Test
  void aDeletedInstancesStateIsRemovedNoEarlierThanItsKeys_whenLogTimesGoBack() {
    InstanceState detached = fold(attachedAndPlaced(), Events.detached(Events.A), 2_000);
    fold(detached, InstanceEvent.of(Events.A, new EventPayload.InstanceDeleted()), 1_000);

    assertThat(retirements.apply(store, 1_000 + GRACE.toMillis())).isEmpty();
    assertThat(store.get(0, Events.A).deleted()).as("kept for its key").isTrue();
    assertThat(retirements.apply(store, 2_000 + GRACE.toMillis()))
        .containsExactly(Map.entry(KEY, detached.locationGen()));
    assertThat(store.get(0, Events.A).deleted()).as("then removed").isFalse();
    assertThat(retirements.pending()).isZero();
  }

  /** An aborted transaction's events are folded again: what they scheduled is scheduled once. */
  @Test
  void aRetirementInAnAbortedTransactionIsScheduledOnceWhenItsEventIsFoldedAgain() {
    InstanceState placed = attachedAndPlaced();
    store.committed();
    retirements.committed();
    fold(placed, Events.detached(Events.A), 1_000);
    store.rollback();
    retirements.rolledBack();
    assertThat(retirements.pending()).as("the aborted retirement is unmade").isZero();

    fold(store.get(0, Events.A), Events.detached(Events.A), 1_000); // the rewound consumer's

    assertThat(retirements.pending()).isEqualTo(1);
    assertThat(retirements.apply(store, 1_000 + GRACE.toMillis()).keySet()).containsExactly(KEY);
  }

  /** A key owned again in an aborted transaction is retired still: its removal comes back. */
  @Test
  void aRemovalCancelledInAnAbortedTransactionIsDueAgain() {
    fold(attachedAndPlaced(), Events.detached(Events.A), 1_000);
    store.committed();
    retirements.committed();
    fold(store.get(0, Events.A), Events.attached(Events.A, "10.0.0.1", 1), 2_000);
    assertThat(retirements.pending()).as("owned again: nothing to remove").isZero();

    store.rollback();
    retirements.rolledBack();

    assertThat(store.get(0, Events.A).retired()).containsExactly(KEY);
    assertThat(retirements.apply(store, 1_000 + GRACE.toMillis()).keySet()).containsExactly(KEY);
  }

  @Test
  void restoredStatesAreDueAfterTheTimeTheyWereWritten_droppedPartitionsForgotten() {
    InstanceState deleted =
        Fold.applyAll(
            InstanceState.empty(Events.A),
            List.of(
                Events.attached(Events.A, "10.0.0.1", 1),
                Events.placed(Events.A, 1),
                InstanceEvent.of(Events.A, new EventPayload.InstanceDeleted())));
    store.load(1, new HashMap<>(Map.of(Events.A, deleted)));
    retirements.restored(1, List.of(deleted), Map.of(Events.A, 10_000L), Map.of());

    assertThat(retirements.anyDue(10_000 + GRACE.toMillis() - 1)).isFalse();
    assertThat(retirements.apply(store, 10_000 + GRACE.toMillis()).keySet()).containsExactly(KEY);
    assertThat(store.holds(1)).isTrue();
    retirements.restored(1, List.of(deleted), Map.of(Events.A, 20_000L), Map.of());
    retirements.drop(1);
    assertThat(retirements.pending()).isZero();
  }

  /**
   * A restore does not restart the clock: the state's record says when its key was retired, and a
   * state written again since (another key, a migration) does not move that date (it did: with
   * restarts more often than the grace period a live instance's keys never came due).
   */
  @Test
  void aRestoredKeyIsDueAfterItsOwnRetirement_notAfterTheStatesLastWrite() {
    InstanceState detached = fold(attachedAndPlaced(), Events.detached(Events.A), 1_000);
    String header = retirements.header(detached);
    assertThat(header).isEqualTo("1000");

    Retirements restarted = new Retirements(GRACE);
    long rewrittenAt = 1_000 + GRACE.toMillis() / 2; // written again before the key came due
    restarted.restored(
        0,
        List.of(detached),
        Map.of(Events.A, rewrittenAt),
        Map.of(Events.A, Retirements.parseHeader(header, detached.retired().size())));

    assertThat(restarted.apply(store, 1_000 + GRACE.toMillis()).keySet()).containsExactly(KEY);
  }

  /** Without the header (an older build's record, or one that does not match) as before. */
  @Test
  void aRestoredKeyWithoutItsTime_isDueAfterItsStatesWrite_andKeepsThatTimeFromThenOn() {
    InstanceState detached = fold(attachedAndPlaced(), Events.detached(Events.A), 1_000);
    assertThat(Retirements.parseHeader("1000,2000", 1)).isNull();
    assertThat(Retirements.parseHeader("x", 1)).isNull();
    Retirements restarted = new Retirements(GRACE);

    restarted.restored(0, List.of(detached), Map.of(Events.A, 5_000L), Map.of());

    assertThat(restarted.anyDue(5_000 + GRACE.toMillis() - 1)).isFalse();
    assertThat(restarted.header(detached)).as("what its next record says").isEqualTo("5000");
  }

  /** An abort unmakes a retirement: the next record of the state says nothing of it. */
  @Test
  void anAbortedRetirementLeavesNoTime() {
    InstanceState placed = attachedAndPlaced();
    store.committed();
    retirements.committed();
    InstanceState detached = fold(placed, Events.detached(Events.A), 1_000);

    store.rollback();
    retirements.rolledBack();

    assertThat(retirements.header(detached)).isNull();
  }

  /** A grace below a millisecond is not zero (it was: --retire-after PT0.0005S kept everything). */
  @Test
  void aGraceBelowAMillisecondRemovesAfterOne() {
    Retirements brief = new Retirements(Duration.ofNanos(500_000));
    InstanceState before = attachedAndPlaced();
    InstanceState after = Fold.apply(before, Events.detached(Events.A)).state();

    brief.folded(0, before, after, 0);

    assertThat(brief.enabled()).isTrue();
    assertThat(brief.anyDue(0)).isFalse();
    assertThat(brief.anyDue(1)).isTrue();
  }

  /**
   * A grace an embedder means as "for ever" (the config takes any non-negative Duration; the CLI
   * caps it at ten years): due times saturate instead of overflowing into the past, which made
   * every retired key and deleted state due at once, its tombstone written the moment it retired.
   */
  @Test
  void aGraceOfForeverNeverComesDue() {
    for (Duration forever :
        List.of(Duration.ofMillis(Long.MAX_VALUE), Duration.ofSeconds(Long.MAX_VALUE))) {
      Retirements kept = new Retirements(forever);
      InstanceState before = attachedAndPlaced();
      InstanceState detached = Fold.apply(before, Events.detached(Events.A)).state();
      InstanceState deleted =
          Fold.apply(detached, InstanceEvent.of(Events.A, new EventPayload.InstanceDeleted()))
              .state();
      long year2100 = 4_102_444_800_000L;

      kept.folded(0, before, detached, 1_000);
      kept.folded(0, detached, deleted, 2_000);
      Retirements restarted = new Retirements(forever);
      restarted.restored(0, List.of(deleted), Map.of(Events.A, 3_000L), Map.of());

      assertThat(kept.enabled()).as("%s", forever).isTrue();
      assertThat(kept.anyDue(year2100)).as("%s, folded", forever).isFalse();
      assertThat(kept.header(deleted)).as("%s: the key's own time", forever).isEqualTo("1000");
      assertThat(restarted.anyDue(year2100)).as("%s, restored", forever).isFalse();
    }
  }

  @Test
  void aZeroGraceKeepsEverything() {
    Retirements none = new Retirements(Duration.ZERO);
    InstanceState before = attachedAndPlaced();
    InstanceState after = Fold.apply(before, Events.detached(Events.A)).state();

    none.folded(0, before, after, 0);

    assertThat(none.enabled()).isFalse();
    assertThat(none.anyDue(Long.MAX_VALUE)).isFalse();
  }

  /**
   * A {@code v2p.retired-at} header without a value (only another writer makes one) reads as no
   * header, so the restore goes on; the restorer dereferenced the value and stopped on a
   * NullPointerException.
   */
  @Test
  void aRetiredAtHeaderWithoutAValue_readsAsNoHeader() {
    RecordHeaders headers = new RecordHeaders();
    assertThat(Retirements.headerText(headers)).isNull();
    headers.add(Retirements.HEADER, null);
    assertThat(Retirements.headerText(headers)).isNull();
    headers.add(Retirements.HEADER, "1000".getBytes(StandardCharsets.UTF_8));
    assertThat(Retirements.headerText(headers)).isEqualTo("1000");
  }
}
