/**
 * Today's approach, emulated for comparison: Omicron's {@code v2p_manager} background task ({@code
 * nexus/src/app/background/tasks/v2p_mappings.rs}), activated by its driver every period and
 * whenever an instance saga commits a location or network change; each activation reads the
 * authoritative locations, then lists each sled's table in turn and diffs it, deleting before
 * adding, one call per mapping; no generations.
 */
package dev.v2pledger.devstack.baseline;
