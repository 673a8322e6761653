package dev.v2pledger.projector.fold;

import dev.v2pledger.schema.domain.MigrationId;

/** A migration that is over, and how it ended. Later reports of it change nothing. */
public record ResolvedMigration(MigrationId migrationId, MigrationOutcome outcome) {}
