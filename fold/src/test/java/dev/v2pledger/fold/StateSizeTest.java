package dev.v2pledger.fold;

import static dev.v2pledger.fold.FoldFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DESIGN "Bounds": the largest state the fold's bounds allow fits in one record of {@code
 * v2p.instance-state} with room to spare. A state that does not fit fails every commit of its
 * partition (the projector's {@code LargeStateIT}).
 */
class StateSizeTest {
  /** The producer's default {@code max.request.size}, and about the broker's message limit. */
  private static final int RECORD_LIMIT = 1024 * 1024;

  @Test
  void theLargestStateTheBoundsAllowEncodesToLessThanHalfARecord() {
    Vni widest = new Vni(Vni.MAX);
    long epoch = 1_000_000_000_000_000_000L; // 19 digits in every retired key
    List<InstanceEvent> events = new ArrayList<>();
    events.add(placed(VMM_S, SLED_S));
    for (int n = 0; n < InstanceState.Bounds.NICS; n++) {
      events.add(fullNic(widest, n, epoch));
    }
    for (long again = 1; again <= 2; again++) { // 8 192 keys retired: the oldest 4 096 forgotten
      for (int n = 0; n < InstanceState.Bounds.NICS; n++) {
        events.add(fullNic(widest, n, epoch + again));
      }
    }
    for (int m = 1; m <= InstanceState.Bounds.PAST + 2; m++) { // each fails the one before
      events.add(started(migrationNumber(m), VMM_S, vmmNumber(m), SLED_T));
    }
    MigrationId latest = migrationNumber(InstanceState.Bounds.PAST + 2);
    events.add(report(latest, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 3));
    events.add(report(latest, MigrationSide.TARGET, MigrationState.IN_PROGRESS, 3));
    for (int p = 0; p < InstanceState.Bounds.PENDING_VMM_REPORTS; p++) {
      events.add(
          vmm(VmmId.parse(String.format("ffffffff-ffff-4fff-bfff-%012d", p)), VmmState.RUNNING, 7));
    }
    for (int p = 0; p < InstanceState.Bounds.PENDING_SIDE_REPORTS; p++) {
      events.add(
          report(
              MigrationId.parse(String.format("ffffffff-ffff-4fff-afff-%012d", p)),
              MigrationSide.TARGET,
              MigrationState.IN_PROGRESS,
              7));
    }
    events.add(fullNic(widest, 99, epoch)); // one past the NIC bound: ignored

    InstanceState largest = Fold.applyAll(InstanceState.empty(INSTANCE), events);

    assertThat(largest.nics()).hasSize(InstanceState.Bounds.NICS);
    assertThat(largest.retired()).hasSize(InstanceState.Bounds.RETIRED);
    assertThat(largest.pastVmms()).hasSize(InstanceState.Bounds.PAST);
    assertThat(largest.pastMigrations()).hasSize(InstanceState.Bounds.PAST);
    assertThat(largest.vmms())
        .hasSizeGreaterThanOrEqualTo(InstanceState.Bounds.PENDING_VMM_REPORTS);
    assertThat(largest.sideReports())
        .hasSizeGreaterThanOrEqualTo(InstanceState.Bounds.PENDING_SIDE_REPORTS + 2);
    assertThat(largest.retired()).allSatisfy(key -> assertThat(key.ipEpoch()).isEqualTo(epoch + 1));
    int bytes = new InstanceStateCodec().encode(largest).length;
    assertThat(bytes).as("encoded bytes of the largest state").isLessThan(RECORD_LIMIT / 2);
  }

  /**
   * A state written before the bounds, by a build without them, near the record's limit: no event
   * makes it larger. Replacing its NICs is refused, and detaching them, whose keys become retired
   * keys (longer in the record than the addresses), keeps the owned and retired keys within 8 192.
   */
  @Test
  void aStateWrittenBeforeTheBoundsNeverGrows() {
    Vni widest = new Vni(Vni.MAX);
    long epoch = 1_000_000_000_000_000_000L;
    List<Nic> nics = new ArrayList<>();
    for (int n = 0; n < 90; n++) {
      nics.add(Nic.of((EventPayload.NicAttached) fullNic(widest, n, epoch).payload()));
    }
    InstanceState old = given(placed(VMM_S, SLED_S));
    old =
        new InstanceState(
            old.instanceId(),
            old.locationGen(),
            false,
            old.instanceGen(),
            nics,
            old.activeVmm(),
            null,
            null,
            List.of(),
            old.vmms(),
            List.of(),
            List.of(),
            List.of());
    InstanceStateCodec codec = new InstanceStateCodec();
    int before = codec.encode(old).length;
    assertThat(before)
        .as("as large as a build without the bounds could write")
        .isLessThan(RECORD_LIMIT);

    FoldResult replaced = Fold.apply(old, fullNic(widest, 0, epoch + 1));
    assertThat(replaced.ignored()).isEqualTo(IgnoredReason.TOO_MANY_NICS);
    InstanceState state = old;
    int largest = before;
    for (int n = 0; n < 90; n++) {
      state = Fold.apply(state, event(new EventPayload.NicDetached(otherNicId(n)))).state();
      largest = Math.max(largest, codec.encode(state).length);
      assertThat(state.ownedKeys().size() + state.retired().size())
          .isLessThanOrEqualTo(Math.max(InstanceState.Bounds.KEYS, (90 - n - 1) * 256));
    }
    assertThat(largest).as("the largest state on the way").isEqualTo(before);
    assertThat(state.nics()).isEmpty();
    assertThat(state.retired()).hasSize(InstanceState.Bounds.RETIRED);
  }
}
