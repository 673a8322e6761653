package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.VNI;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.macOf;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.reconcile.DriftReason;
import dev.v2pledger.applier.reconcile.PassResult;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.applier.xde.sim.Mutation.Op;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Version.Verdict;
import dev.v2pledger.schema.domain.Vip;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * DESIGN's races, at the applier, with the simulated device's port side effects: XDE installs "VIP
 * -> this sled" on port create and deletes the (VNI, VIP) entry on port destroy.
 */
class SeedRacesTest {
  static final Vip VIP = vip("172.30.0.5");

  @Test
  void givenMigrationFailed_whenTargetPortWasCreated_thenTargetSledEndsWithSourceMapping() {
    EngineFixture target = new EngineFixture(T);
    target.snapshot(List.of(set(VIP, 1, 1, S)));
    assertThat(target.device.get(VIP)).isEqualTo(entry(VIP, S));

    target.device.createPort(VNI, VIP.ip(), macOf(VIP)); // target VMM's port on T
    assertThat(target.device.get(VIP)).isEqualTo(entry(VIP, T));
    target.offer(set(VIP, 1, 3, S)); // migration FAILED: the projector re-asserts at a new gen

    assertThat(target.device.get(VIP)).isEqualTo(entry(VIP, S));
    assertThat(target.device.mutations()).last().extracting(Mutation::op).isEqualTo(Op.SET);
  }

  @Test
  void givenMigrationFailed_whenTargetPortIsCreatedAfterTheReassert_thenOneTriggerRepairsIt() {
    EngineFixture target = new EngineFixture(T);
    target.snapshot(List.of(set(VIP, 1, 1, S)));
    target.offer(set(VIP, 1, 3, S));

    target.device.createPort(VNI, VIP.ip(), macOf(VIP)); // late: after the re-assert
    PassResult pass = target.engine.reconcile(); // the sled agent's trigger after port create

    assertThat(target.device.get(VIP)).isEqualTo(entry(VIP, S));
    assertThat(pass.repaired()).isEqualTo(Map.of(DriftReason.DIFFERENT, 1));
  }

  @Test
  void givenMigrationSucceeded_whenSourcePortIsDestroyed_thenOneTriggerRestoresTheEntry() {
    EngineFixture source = new EngineFixture(S);
    source.snapshot(List.of(set(VIP, 1, 1, S)));
    source.offer(set(VIP, 1, 2, T)); // migration COMPLETED: the VIP now lives on T
    assertThat(source.device.get(VIP)).isEqualTo(entry(VIP, T));

    source.device.destroyPort(VNI, VIP.ip()); // the source VMM shuts down: XDE deletes the entry
    assertThat(source.device.get(VIP)).isNull();
    PassResult pass = source.engine.reconcile();

    assertThat(source.device.get(VIP)).isEqualTo(entry(VIP, T));
    assertThat(pass.set()).isEqualTo(1);
    assertThat(pass.repaired()).isEqualTo(Map.of(DriftReason.MISSING, 1));
  }

  @Test
  void givenDeviceKeptItsTable_whenApplierRestarts_thenNothingRightIsTouched() {
    EngineFixture sled = new EngineFixture(U);
    List<V2PMapping> log =
        List.of(
            set(VIP, 1, 1, S),
            set(vip("172.30.0.6"), 1, 1, T),
            set(VIP, 1, 2, T),
            set(vip("fd77::6"), 2, 1, S),
            cleared(vip("172.30.0.7"), 1, 4));
    sled.snapshot(log);
    sled.device.set(entry(vip("172.30.0.6"), S)); // someone else's drift while we were down
    int mark = sled.device.mutationCount();

    sled.restart();
    sled.snapshot(log);

    assertThat(sled.device.mutationsSince(mark))
        .as("one set repairs the drift; no clear-then-set, nothing else written")
        .extracting(Mutation::op, Mutation::vip)
        .containsExactly(Tuple.tuple(Op.SET, vip("172.30.0.6")));
    assertThat(sled.engine.lastPass().inSync()).isEqualTo(2);
  }

  @Test
  void staleRecordsNeverChangeTheDevice() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(VIP, 2, 5, T)));
    int mark = sled.device.mutationCount();

    assertThat(sled.engine.offer(set(VIP, 2, 4, S), 0, 10)).isEqualTo(Verdict.OLDER);
    assertThat(sled.engine.offer(set(VIP, 1, 9, S), 0, 11)).isEqualTo(Verdict.OLDER);
    assertThat(sled.engine.offer(cleared(VIP, 1, 10), 0, 12)).isEqualTo(Verdict.OLDER);
    assertThat(sled.engine.offer(set(VIP, 2, 5, T), 0, 13)).isEqualTo(Verdict.DUPLICATE);
    sled.engine.reconcile();

    assertThat(sled.device.mutationsSince(mark)).isEmpty();
    assertThat(sled.device.get(VIP)).isEqualTo(entry(VIP, T));
  }

  @Test
  void givenIpReusedByAnotherInstance_whenOldOwnersClearArrivesLate_thenNewMappingStays() {
    EngineFixture sled = new EngineFixture(U);
    sled.snapshot(List.of(set(VIP, 1, 3, S)));
    sled.offer(set(VIP, 2, 1, T)); // re-allocated: epoch 2, processed first
    sled.offer(cleared(VIP, 1, 4)); // the old owner's partition lags

    assertThat(sled.device.get(VIP)).isEqualTo(entry(VIP, T));
  }
}
