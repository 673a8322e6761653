package dev.v2pledger.projector.fold;

import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.VmmId;

/**
 * What an event did to an instance, beyond the records it emitted: the fold's decision in words a
 * person investigating an incident can read, and in types the replay tool can count.
 */
public sealed interface Effect {

  /** One line for humans. */
  String describe();

  /** The instance now runs in {@code vmm}; its pairs were set there. */
  record LocationSet(PlacedVmm vmm) implements Effect {
    @Override
    public String describe() {
      return "located on sled " + vmm.sledId() + " (VMM " + vmm.vmmId() + ")";
    }
  }

  /** The instance has no running VMM any more; its pairs were cleared. */
  record LocationLost(VmmId lastVmm) implements Effect {
    @Override
    public String describe() {
      return "no location (VMM " + lastVmm + " is gone); pairs cleared";
    }
  }

  /** The location is unchanged but every pair was set again, to repair a sled. */
  record Reasserted(PlacedVmm vmm) implements Effect {
    @Override
    public String describe() {
      return "re-asserted on sled " + vmm.sledId();
    }
  }

  record NicSet(NicId nicId, int ips) implements Effect {
    @Override
    public String describe() {
      return "NIC " + nicId + " attached with " + ips + " IP(s)";
    }
  }

  record NicRemoved(NicId nicId) implements Effect {
    @Override
    public String describe() {
      return "NIC " + nicId + " detached";
    }
  }

  record MigrationOpened(MigrationId migrationId, PlacedVmm target) implements Effect {
    @Override
    public String describe() {
      return "migration " + migrationId + " to sled " + target.sledId() + " started";
    }
  }

  /** A migration ended; {@code implicit} when a later VMM placement or migration ended it. */
  record MigrationResolved(MigrationId migrationId, MigrationOutcome outcome, boolean implicit)
      implements Effect {
    @Override
    public String describe() {
      return "migration " + migrationId + " " + outcome + (implicit ? " (implied)" : "");
    }
  }

  record ReportBuffered(MigrationReported report) implements Effect {
    @Override
    public String describe() {
      return "report buffered until migration " + report.migrationId() + " starts";
    }
  }

  /** The buffer was full: the oldest buffered report was dropped ({@code buffer_overflow}). */
  record ReportDropped(MigrationReported report) implements Effect {
    @Override
    public String describe() {
      return "buffer_overflow: dropped report of migration " + report.migrationId();
    }
  }

  record VmmGone(VmmId vmmId) implements Effect {
    @Override
    public String describe() {
      return "VMM " + vmmId + " is terminal";
    }
  }

  record Deleted() implements Effect {
    @Override
    public String describe() {
      return "instance deleted";
    }
  }
}
