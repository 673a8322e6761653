/**
 * The fold: how ordered events of one instance become its authoritative location and the V2P
 * mapping records that follow from it (DESIGN, "Fold rules"). Pure functions over immutable values,
 * with no Kafka, jnr-ffi, logging or clock: {@link dev.v2pledger.fold.Fold#apply} returns the new
 * state, the records to write and, when nothing changed, why. The projector's Kafka runner and the
 * replay tool call exactly this code.
 */
@NullMarked
package dev.v2pledger.fold;

import org.jspecify.annotations.NullMarked;
