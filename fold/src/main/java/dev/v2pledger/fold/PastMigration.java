package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.MigrationId;

/**
 * A migration Nexus moved past, and how it ended as far as the fold knew then. Its reports are
 * {@code past_migration} (DESIGN rule 6).
 */
public record PastMigration(MigrationId migrationId, MigrationOutcome outcome) {}
