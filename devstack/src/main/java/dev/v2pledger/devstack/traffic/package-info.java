/**
 * Guests talking on the simulated sleds, to measure what opte#221 costs: {@link
 * dev.v2pledger.devstack.traffic.Conversations} keeps a few conversations per running port going,
 * sends on each every tick through the simulated device's cached flows, and sums the flow-seconds
 * that went to a sled which no longer hosts the destination (stale-flow exposure), beside what they
 * would have been had no flow table been cleared.
 */
@NullMarked
package dev.v2pledger.devstack.traffic;

import org.jspecify.annotations.NullMarked;
