package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import org.jspecify.annotations.Nullable;

/**
 * What an event did to an instance, beyond the records it emitted: the fold's decision in words a
 * person investigating an incident can read, in types the replay tool can count, and with the
 * DESIGN rule that made it.
 */
public sealed interface Effect {

  /** One line for humans. */
  String describe();

  /**
   * The DESIGN rule behind this effect: for most kinds one ({@link Rule#of}), for some it depends.
   */
  default Rule rule() {
    return Rule.of(this);
  }

  /** The instance now runs in {@code vmm}; its pairs were set there. */
  record LocationSet(PlacedVmm vmm) implements Effect {
    @Override
    public String describe() {
      return "located on sled " + vmm.sledId() + " (VMM " + vmm.vmmId() + ")";
    }
  }

  /** The instance runs nowhere any more; its pairs were cleared. */
  record LocationLost(@Nullable VmmId lastVmm) implements Effect {
    @Override
    public String describe() {
      return "no location"
          + (lastVmm == null ? "" : " (was VMM " + lastVmm + ")")
          + "; pairs cleared";
    }
  }

  /** The location is unchanged but every pair was set again, to repair a sled. */
  record Reasserted(PlacedVmm vmm, MigrationId failed) implements Effect {
    @Override
    public String describe() {
      return "re-asserted on sled " + vmm.sledId() + " after migration " + failed + " failed";
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

  /** Nexus named {@code vmm} the active VMM: placed ({@code VmmPlaced}) or migrated into. */
  record VmmActivated(PlacedVmm vmm, boolean placed) implements Effect {
    @Override
    public String describe() {
      return (placed ? "VMM " + vmm.vmmId() + " placed on sled " : "Nexus runs it on sled ")
          + vmm.sledId()
          + (placed ? "" : " (VMM " + vmm.vmmId() + ", the previous migration's target)");
    }

    @Override
    public Rule rule() {
      return placed ? Rule.VMM_PLACED : Rule.MIGRATION_STARTED;
    }
  }

  record MigrationOpened(MigrationId migrationId, PlacedVmm target) implements Effect {
    @Override
    public String describe() {
      return "migration " + migrationId + " to sled " + target.sledId() + " started";
    }
  }

  /**
   * A migration ended: by its reports ({@code by} rule 8, {@link Rule#LOCATION}), or implicitly
   * when Nexus moved past it ({@code by} rule 4 or 5).
   */
  record MigrationResolved(MigrationId migrationId, MigrationOutcome outcome, Rule by)
      implements Effect {
    public MigrationResolved {
      if (by != Rule.LOCATION && by != Rule.VMM_PLACED && by != Rule.MIGRATION_STARTED) {
        throw new IllegalArgumentException("a migration is not resolved by rule " + by);
      }
    }

    /** Whether Nexus' moving past it resolved it, rather than its reports. */
    public boolean implicit() {
      return by != Rule.LOCATION;
    }

    @Override
    public String describe() {
      return "migration " + migrationId + " " + outcome + (implicit() ? " (implied by Nexus)" : "");
    }

    @Override
    public Rule rule() {
      return by;
    }
  }

  /** A VMM's report went into its register; {@code pending} when Nexus has not named the VMM. */
  record VmmRegistered(VmmId vmmId, VmmState state, long gen, boolean pending) implements Effect {
    @Override
    public String describe() {
      return "VMM " + vmmId + " reported " + state + " (gen " + gen + ")" + pendingNote(pending);
    }
  }

  /**
   * A migration side's report went into its register; {@code pending} when Nexus has not named the
   * migration.
   */
  record SideRegistered(
      MigrationId migrationId, MigrationSide side, MigrationState state, long gen, boolean pending)
      implements Effect {
    @Override
    public String describe() {
      return "migration "
          + migrationId
          + " "
          + side
          + " side reported "
          + state
          + " (gen "
          + gen
          + ")"
          + pendingNote(pending);
    }
  }

  private static String pendingNote(boolean pending) {
    return pending ? ", kept until Nexus names it" : "";
  }

  /** Something the fold's bounds made it forget (DESIGN "Bounds"): counted as buffer_overflow. */
  sealed interface Overflow extends Effect {
    /** How many things were forgotten: registers or keys. */
    int count();
  }

  /** Too many registers were pending: the oldest, of {@code subject}, was dropped. */
  record ReportDropped(String subject) implements Overflow {
    @Override
    public int count() {
      return 1;
    }

    @Override
    public String describe() {
      return "buffer_overflow: dropped the pending report of " + subject;
    }
  }

  /**
   * Too many retired keys: the oldest {@code keys} were forgotten, and their CLEARED records stay
   * in {@code v2p.mappings} without a tombstone.
   */
  record RetiredForgotten(int keys) implements Overflow {
    @Override
    public int count() {
      return keys;
    }

    @Override
    public String describe() {
      return "buffer_overflow: forgot the " + keys + " oldest retired key(s); never tombstoned";
    }
  }

  record Deleted() implements Effect {
    @Override
    public String describe() {
      return "instance deleted";
    }
  }
}
