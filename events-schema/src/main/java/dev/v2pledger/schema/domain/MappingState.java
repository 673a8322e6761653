package dev.v2pledger.schema.domain;

/**
 * Whether a projected mapping installs the VIP ({@code SET}) or says it must not exist ({@code
 * CLEARED}).
 */
public enum MappingState {
  SET,
  CLEARED
}
