/**
 * The fold checked against every interleaving of its publishers: a causal-history model of a rack
 * ({@link dev.v2pledger.fold.interleaving.World}: Nexus and one agent per sled, each publishing in
 * its own order, with the truth of where every instance really is), an explorer that folds every
 * merge of the publishers' streams that keeps each one's order, with redeliveries ({@link
 * dev.v2pledger.fold.interleaving.Explorer}), and the check that each one ends with the causal
 * outcome and versions that only grow.
 */
@NullMarked
package dev.v2pledger.fold.interleaving;

import org.jspecify.annotations.NullMarked;
