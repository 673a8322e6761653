package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.projector.testing.Workload;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.testing.Seeds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InternerTest {
  private final EventCodec events = new EventCodec();
  private final InstanceStateCodec states = new InstanceStateCodec();

  @Test
  void internedEventsFoldToEqualStatesAndRecords() {
    long seed = Seeds.pick("InternerTest");
    Interner interner = new Interner();
    Map<InstanceId, InstanceState> plain = new HashMap<>();
    Map<InstanceId, InstanceState> interned = new HashMap<>();
    for (InstanceEvent generated : new Workload(seed, 40, 5).next(5000, 30)) {
      InstanceEvent event = decoded(generated);
      InstanceState a =
          plain.getOrDefault(event.instanceId(), InstanceState.empty(event.instanceId()));
      InstanceState b =
          interned.getOrDefault(event.instanceId(), InstanceState.empty(event.instanceId()));
      FoldResult expected = Fold.apply(a, event);
      FoldResult actual = Fold.apply(b, interner.intern(event, b));

      assertThat(actual).as(Seeds.context("InternerTest", seed)).isEqualTo(expected);
      plain.put(event.instanceId(), expected.state());
      interned.put(event.instanceId(), actual.state());
    }
    for (InstanceState state : plain.values()) {
      InstanceState restored = states.decode(states.encode(state), RecordOrigin.UNKNOWN);
      assertThat(interner.intern(restored)).isEqualTo(state);
    }
  }

  @Test
  void aSledsIdAndAddressAreSharedByItsInstances_andAVmmIdIsOneObjectPerState() {
    Interner interner = new Interner();
    InstanceState a = restored(Events.A);
    InstanceState b = restored(Events.B);
    assertThat(a.activeVmm().sledId()).isNotSameAs(b.activeVmm().sledId());

    InstanceState ia = interner.intern(a);
    InstanceState ib = interner.intern(b);

    assertThat(ia).isEqualTo(a);
    assertThat(ia.activeVmm().sledId()).isSameAs(ib.activeVmm().sledId());
    assertThat(ia.activeVmm().sledUnderlayIp()).isSameAs(ib.activeVmm().sledUnderlayIp());
    assertThat(ia.nics().get(0).vni()).isSameAs(ib.nics().get(0).vni());
    assertThat(ia.vmms().get(0).vmmId()).isSameAs(ia.activeVmm().vmmId());
  }

  private InstanceState restored(InstanceId id) {
    InstanceState state =
        Fold.applyAll(
            InstanceState.empty(id),
            List.of(
                decoded(Events.attached(id, "10.0.0.1", 1)),
                decoded(Events.placed(id, 1)),
                decoded(
                    InstanceEvent.of(
                        id,
                        new EventPayload.VmmReported(
                            new VmmId(new UUID(0x4000L, 1)), VmmState.RUNNING, 1)))));
    return states.decode(states.encode(state), RecordOrigin.UNKNOWN);
  }

  private InstanceEvent decoded(InstanceEvent event) {
    return events.decode(events.encode(event), RecordOrigin.UNKNOWN);
  }
}
