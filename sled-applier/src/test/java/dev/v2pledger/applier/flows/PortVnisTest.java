package dev.v2pledger.applier.flows;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.macOf;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.reconcile.Desired;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A port's VNIs are looked up once and remembered; a VIP taking the port's MAC where it did not
 * have it (two VPCs may give NICs the same MAC and IP) makes it looked up again, and nothing else
 * does: a busy rack takes MACs all the time.
 */
class PortVnisTest {
  static final Vni OTHER = new Vni(8888);
  static final Vip MINE = vip(OTHER, "172.30.0.7");
  static final Vip TWIN = vip("172.30.0.7"); // another VPC: the same MAC and IP

  final Desired desired = new Desired(Set.of(Vni.SERVICES));
  final PortVnis vnis = new PortVnis(desired);
  final PortInfo port = PortInfo.of("opte0", macOf(MINE), MINE.ip(), "running");

  @Test
  void givenAnotherVpcsRecordFirst_thenThePortsOwnRecordAddsItsVni() {
    desired.offer(set(TWIN, 1, 1, S));
    Set<Vni> first = vnis.of(port);
    assertThat(first).containsExactly(TWIN.vni());

    desired.offer(set(vip("172.30.0.99"), 1, 1, S)); // another MAC: the port stays remembered
    assertThat(vnis.of(port)).isSameAs(first);

    desired.offer(set(MINE, 1, 1, U));
    assertThat(vnis.of(port)).containsExactlyInAnyOrder(TWIN.vni(), MINE.vni());
  }

  @Test
  void givenItsRecordClearedThenSetAgain_thenItsVniIsFoundAgain() {
    desired.offer(set(TWIN, 1, 1, S));
    desired.offer(set(MINE, 1, 1, U));
    desired.offer(cleared(MINE, 1, 2));
    assertThat(vnis.of(port)).containsExactly(TWIN.vni());

    desired.offer(set(MINE, 1, 3, U));

    assertThat(vnis.of(port)).containsExactlyInAnyOrder(TWIN.vni(), MINE.vni());
  }

  @Test
  void givenMoreMacsTakenThanRemembered_thenEveryPortIsLookedUpAgain() {
    desired.offer(set(TWIN, 1, 1, S));
    assertThat(vnis.of(port)).containsExactly(TWIN.vni());
    desired.offer(set(MINE, 1, 1, U));
    for (int i = 0; i < 2 * 1024; i++) {
      desired.offer(set(vip(OTHER, "10.1." + (i / 250) + "." + (i % 250 + 1)), 1, 1, S));
    }

    assertThat(desired.macsTakenSince(0)).as("more than it remembers").isNull();
    assertThat(vnis.of(port)).containsExactlyInAnyOrder(TWIN.vni(), MINE.vni());
  }

  @Test
  void aRecordOfTheSameMac_orOneNotReplacingTheTables_takesNothing() {
    desired.offer(set(MINE, 1, 2, U));
    long taken = desired.macsTaken();

    desired.offer(set(MINE, 1, 3, S)); // moved: same MAC
    desired.offer(set(MINE, 1, 1, U)); // older: not in force
    desired.offer(cleared(MINE, 1, 4));

    assertThat(desired.macsTaken()).isEqualTo(taken);
    assertThat(desired.macsTakenSince(taken)).isEmpty();
  }
}
