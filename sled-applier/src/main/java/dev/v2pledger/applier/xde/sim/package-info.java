/**
 * A simulated XDE: OPTE's V2P semantics (upsert by (VNI, VIP), clear by (VNI, VIP) ignoring MAC and
 * underlay), the side effects XDE has on port create and destroy, ports whose cached flows keep the
 * encapsulation they were made with until their flow table is cleared or they idle out (opte#221),
 * fault injection, and a timestamped mutation log from which tests measure exposure. Hand-written
 * on purpose (no mocks): it models the device, so tests of the applier stay true when the applier
 * is refactored.
 */
@NullMarked
package dev.v2pledger.applier.xde.sim;

import org.jspecify.annotations.NullMarked;
