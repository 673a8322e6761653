package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OrphansTest {
  static final long S = 1_000_000_000L;
  final Orphans orphans = new Orphans(10 * S);

  @Test
  void theSameUnownedPartitionsInStableLooksForTheBoundAreOrphans() {
    assertThat(orphans.observe(true, Set.of(2), 0)).isEmpty();
    assertThat(orphans.observe(true, Set.of(2), 9 * S)).isEmpty();
    assertThat(orphans.observe(true, Set.of(2), 10 * S)).containsExactly(2);
  }

  @Test
  void aRebalanceInBetweenOrAChangedSetStartsOver() {
    orphans.observe(true, Set.of(2), 0);
    orphans.observe(false, Set.of(2), 5 * S); // rebalancing: the two halves of a cooperative one
    assertThat(orphans.observe(true, Set.of(2), 11 * S)).isEmpty();
    orphans.observe(true, Set.of(1, 2), 12 * S);
    assertThat(orphans.observe(true, Set.of(1, 2), 21 * S)).isEmpty();
    assertThat(orphans.observe(true, Set.of(1, 2), 22 * S)).containsExactlyInAnyOrder(1, 2);
    assertThat(orphans.observe(true, Set.of(), 23 * S)).isEmpty();
    assertThat(orphans.observe(true, Set.of(1, 2), 40 * S)).as("timed afresh").isEmpty();
  }
}
