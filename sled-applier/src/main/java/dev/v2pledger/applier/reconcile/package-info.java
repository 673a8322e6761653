/**
 * Reconciling desired against observed: the desired table (the project's one {@code MappingTable}
 * rule over {@code v2p.mappings}), the diff against XDE's dump, the rule that turns one new record
 * into at most one device call, and a pass that applies a plan and reports what it set, cleared,
 * left alone and failed. No Kafka here; a pass never retries a failed call (the next pass does).
 */
@NullMarked
package dev.v2pledger.applier.reconcile;

import org.jspecify.annotations.NullMarked;
