/**
 * Flows that follow a moved mapping, and ports noticed without a hook. OPTE caches the V2P entry a
 * flow was set up with in its port's unified flow table (UFT) and keeps it when the entry moves
 * (opte#221), so after the applier changes or clears an entry of VNI v, {@link
 * dev.v2pledger.applier.flows.FlowInvalidation} clears the UFT of every running port of this sled
 * in VNI v, at most once per port per window. A port's VNI is derived from the desired table
 * ({@link dev.v2pledger.applier.flows.PortVnis}). {@link dev.v2pledger.applier.flows.PortWatch}
 * lists the ports every few milliseconds and asks for a pass when the set changes, which repairs
 * XDE's side effects of creating and destroying ports even when the sled agent never calls {@code
 * POST /reconcile}. DESIGN.md "Cached flows" has the rules.
 */
@NullMarked
package dev.v2pledger.applier.flows;

import org.jspecify.annotations.NullMarked;
