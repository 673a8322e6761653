package dev.v2pledger.applier.reconcile;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.testing.EmptyXde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

  /** A device whose writes fail the way a device-wide problem does. */
  static final class RefusingXde extends EmptyXde {
    final XdeException.Kind kind;
    int writes;

    RefusingXde(XdeException.Kind kind) {
      this.kind = kind;
    }

    @Override
    public void set(XdeMapping mapping) {
      writes++;
      throw new XdeException(kind, "SetVirt2Phys: refused");
    }

    @Override
    public void clear(Vip vip) {
      writes++;
      throw new XdeException(kind, "ClearVirt2Phys: refused");
    }

    @Override
    public void clearUft(String portName) {
      writes++;
      throw new XdeException(kind, "ClearUft: refused");
    }
  }

  static Desired threeMissing() {
    Desired desired = new Desired(Set.of());
    for (String ip : List.of("10.0.0.1", "10.0.0.2", "10.0.0.3")) {
      desired.offer(set(vip(ip), 1, 1, S));
    }
    return desired;
  }

  @Test
  void givenDeviceWideFailure_thenTheRestOfThePassIsNotAttemptedButCountedFailed() {
    RefusingXde device = new RefusingXde(XdeException.Kind.API_VERSION);
    PassResult result = new Reconciler(device, System::nanoTime).reconcile(threeMissing());

    assertThat(device.writes).isEqualTo(1);
    assertThat(result.failed()).isEqualTo(3);
    assertThat(result.ok()).isFalse();
  }

  @Test
  void givenPerEntryFailures_thenEveryCallIsAttemptedOnce() {
    RefusingXde device = new RefusingXde(XdeException.Kind.COMMAND);
    Reconciler reconciler = new Reconciler(device, System::nanoTime);
    PassResult result = reconciler.reconcile(threeMissing());

    assertThat(device.writes).isEqualTo(3);
    assertThat(result.failed()).isEqualTo(3);
    assertThat(result.number()).isEqualTo(1);
    assertThat(reconciler.passes()).isEqualTo(1);
  }

  /**
   * The pass's one log line names what it repaired ({@link PassResult#toString}), the first {@value
   * PassResult#LISTED_REPAIRS} with their reasons, then how many more: which entry XDE changed on
   * this sled, and that it was put back, at 3 a.m.
   */
  @Test
  void aPassNamesTheEntriesItRepaired_theFirstTwentyAndHowManyMore() {
    Desired few = threeMissing();
    Desired many = new Desired(Set.of());
    for (int i = 1; i <= 25; i++) {
      many.offer(set(vip("10.0.1." + i), 1, 1, S));
    }

    PassResult three = new Reconciler(new EmptyXde(), System::nanoTime).reconcile(few);
    PassResult lots = new Reconciler(new EmptyXde(), System::nanoTime).reconcile(many);

    assertThat(three.repairs()).hasSize(3);
    assertThat(three.toString())
        .contains("; repaired: set 7777/10.0.0.")
        .contains(
            "set " + vip("10.0.0.1") + " -> a8:40:25:00:00:01 @ fd00:1122:3344:101::1 (missing)")
        .contains("set " + vip("10.0.0.2"))
        .contains("set " + vip("10.0.0.3"))
        .doesNotContain("more");
    assertThat(lots.repairs()).hasSize(PassResult.LISTED_REPAIRS);
    assertThat(lots.toString()).endsWith("(missing), and 5 more");
    assertThat(new Reconciler(new EmptyXde(), System::nanoTime).reconcile(new Desired(Set.of())))
        .asString()
        .doesNotContain("repaired");
  }
}
