package dev.v2pledger.fold;

import static dev.v2pledger.fold.FoldFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.state.InstanceStateCodec;
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
    List<dev.v2pledger.schema.domain.InstanceEvent> events = new ArrayList<>();
    events.add(placed(VMM_S, SLED_S));
    for (int n = 0; n < InstanceState.Bounds.NICS; n++) {
      events.add(fullNic(widest, n, epoch));
    }
    for (int n = 0; n < InstanceState.Bounds.NICS; n++) {
      events.add(fullNic(widest, n, epoch + 1)); // every key of the first allocation retired
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
    int bytes = new InstanceStateCodec().encode(largest).length;
    assertThat(bytes).as("encoded bytes of the largest state").isLessThan(RECORD_LIMIT / 2);
  }
}
