package dev.v2pledger.schema.domain;

/** Which side of a live migration a report comes from. */
public enum MigrationSide {
  SOURCE,
  TARGET
}
