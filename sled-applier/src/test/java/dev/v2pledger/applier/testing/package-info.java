/**
 * Test support: projected records and sleds as the projector would write them ({@code Records}),
 * the projector's side of the topics ({@code MappingsTopic}) while the projector is written in
 * parallel, and a clock tests move by hand.
 */
package dev.v2pledger.applier.testing;
