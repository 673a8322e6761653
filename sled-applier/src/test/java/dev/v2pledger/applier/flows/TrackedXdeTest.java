package dev.v2pledger.applier.flows;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.schema.domain.Vip;
import java.lang.reflect.Proxy;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which writes mark their VNI for the flow invalidation. */
class TrackedXdeTest {
  static final Vip A = vip("172.30.0.5");

  /** A device whose every call fails with {@code kind}. */
  private static Xde failingWith(XdeException.Kind kind) {
    return (Xde)
        Proxy.newProxyInstance(
            Xde.class.getClassLoader(),
            new Class<?>[] {Xde.class},
            (proxy, method, args) -> {
              throw new XdeException(kind, method.getName() + ": " + kind);
            });
  }

  @Test
  void aWriteTheDeviceRanButWhoseAnswerCouldNotBeRead_marksItsVni() {
    TrackedXde xde = new TrackedXde(failingWith(XdeException.Kind.BAD_RESPONSE));

    assertThatThrownBy(() -> xde.set(entry(A, S))).isInstanceOf(XdeException.class);

    assertThat(xde.drainChanged()).as("the entry may have changed").isEqualTo(Set.of(A.vni()));
  }

  /**
   * A write the device refused or never saw marks its VNI too: the entry it was to make may be made
   * by XDE itself (a port created) before the pass that retries it, which then writes nothing
   * (FlowsPropertyTest found a flow left stale so).
   */
  @Test
  void aWriteTheDeviceRefusedOrNeverSaw_marksItsVniAllTheSame() {
    for (XdeException.Kind kind :
        Set.of(XdeException.Kind.COMMAND, XdeException.Kind.NO_DEVICE, XdeException.Kind.OTHER)) {
      TrackedXde xde = new TrackedXde(failingWith(kind));

      assertThatThrownBy(() -> xde.clear(A)).isInstanceOf(XdeException.class);

      assertThat(xde.drainChanged()).as("%s", kind).isEqualTo(Set.of(A.vni()));
    }
  }
}
