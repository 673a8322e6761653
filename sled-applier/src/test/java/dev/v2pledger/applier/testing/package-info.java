/**
 * Test support: projected records and sleds as the projector would write them ({@code Records}),
 * the projector's side of the topics ({@code MappingsTopic}, so the applier's tests need no
 * projector), and a clock tests move by hand.
 */
package dev.v2pledger.applier.testing;
