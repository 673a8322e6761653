package dev.v2pledger.schema.domain;

/**
 * A mapping as it is written to {@code v2p.mappings}: the fold's record plus the event that caused
 * it.
 */
public record ProjectedMapping(V2PMapping mapping, EventPosition cause) {
  public ProjectedMapping {
    Values.required(mapping, "mapping");
    Values.required(cause, "cause");
  }

  public MappingKey key() {
    return mapping.key();
  }
}
