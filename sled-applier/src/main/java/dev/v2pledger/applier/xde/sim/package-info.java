/**
 * A simulated XDE: OPTE's V2P semantics (upsert by (VNI, VIP), clear by (VNI, VIP) ignoring MAC and
 * underlay), the side effects XDE has on port create and destroy, fault injection, and a
 * timestamped mutation log from which tests measure exposure. Hand-written on purpose (no mocks):
 * it models the device, so tests of the applier stay true when the applier is refactored.
 */
@NullMarked
package dev.v2pledger.applier.xde.sim;

import org.jspecify.annotations.NullMarked;
