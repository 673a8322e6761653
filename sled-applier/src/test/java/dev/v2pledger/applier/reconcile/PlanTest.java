package dev.v2pledger.applier.reconcile;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.SERVICES;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanTest {
  static final Vip IN_SYNC = vip("172.30.0.1");
  static final Vip MISSING = vip("172.30.0.2");
  static final Vip DIFFERENT = vip("172.30.0.3");
  static final Vip CLEARED = vip("172.30.0.4");
  static final Vip UNKNOWN = vip("fd77::5");
  static final Vip CLEARED_ABSENT = vip("172.30.0.6");
  static final Vip SERVICE = vip(SERVICES, "172.30.0.1");

  @Test
  void classifiesEveryEntryAndLeavesExcludedVnisAlone() {
    Desired desired = new Desired(Set.of(Vni.SERVICES));
    List.of(
            set(IN_SYNC, 1, 1, S),
            set(MISSING, 1, 1, S),
            set(DIFFERENT, 1, 2, T),
            cleared(CLEARED, 1, 3),
            cleared(CLEARED_ABSENT, 1, 3),
            set(SERVICE, 1, 1, T))
        .forEach(desired::offer);
    List<XdeMapping> observed =
        List.of(
            entry(IN_SYNC, S),
            entry(DIFFERENT, S),
            entry(CLEARED, S),
            entry(UNKNOWN, S),
            entry(SERVICE, S));

    Plan plan = Plan.of(desired, observed);

    assertThat(plan.actions())
        .containsExactlyInAnyOrder(
            Action.set(entry(MISSING, S), DriftReason.MISSING),
            Action.set(entry(DIFFERENT, T), DriftReason.DIFFERENT),
            Action.clear(CLEARED, DriftReason.CLEARED),
            Action.clear(UNKNOWN, DriftReason.UNKNOWN));
    assertThat(plan.inSync()).isEqualTo(1);
    assertThat(plan.excludedSkipped()).isEqualTo(1);
  }

  @Test
  void setsComeBeforeClears() {
    Desired desired = new Desired(Set.of());
    desired.offer(set(MISSING, 1, 1, S));
    Plan plan = Plan.of(desired, List.of(entry(UNKNOWN, S)));
    assertThat(plan.actions()).extracting(Action::isSet).containsExactly(true, false);
  }

  @Test
  void deltaRule_newerSetIsOneSet_newerClearedIsOneClear_restIsNothing() {
    Desired desired = new Desired(Set.of(Vni.SERVICES));
    var first = set(MISSING, 1, 1, S);
    assertThat(Deltas.actionFor(first, desired.offer(first), desired))
        .isEqualTo(Action.set(entry(MISSING, S), null));
    assertThat(Deltas.actionFor(first, desired.offer(first), desired)).isNull();
    var clear = cleared(MISSING, 1, 2);
    assertThat(Deltas.actionFor(clear, desired.offer(clear), desired))
        .isEqualTo(Action.clear(MISSING, null));
    var service = set(SERVICE, 1, 1, S);
    assertThat(Deltas.actionFor(service, desired.offer(service), desired)).isNull();
  }
}
