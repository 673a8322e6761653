package dev.v2pledger.projector.fold;

import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.VmmId;
import org.jspecify.annotations.Nullable;

/**
 * The unresolved migration, with the last accepted report generation of each side (null until that
 * side reports).
 */
public record OpenMigration(
    MigrationId migrationId,
    VmmId sourceVmmId,
    PlacedVmm target,
    @Nullable Long sourceGen,
    @Nullable Long targetGen) {

  public @Nullable Long lastGen(MigrationSide side) {
    return side == MigrationSide.SOURCE ? sourceGen : targetGen;
  }

  OpenMigration withGen(MigrationSide side, long gen) {
    return side == MigrationSide.SOURCE
        ? new OpenMigration(migrationId, sourceVmmId, target, gen, targetGen)
        : new OpenMigration(migrationId, sourceVmmId, target, sourceGen, gen);
  }
}
