package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.VmmId;

/**
 * The latest migration Nexus started out of the active VMM (DESIGN rule 5), as Nexus named it. Its
 * outcome comes from the two sides' report registers (rule 8); it stays the latest, resolved or
 * not, until Nexus names another VMM or migration.
 */
public record Migration(MigrationId migrationId, VmmId sourceVmmId, PlacedVmm target) {}
