/**
 * The oracle: DESIGN's fold rules written again, apart from the projector's fold (this code was
 * written from docs/DESIGN.md without reading the {@code fold} module), folding the events the
 * workload publishes, in each instance's order, into where every instance is and the V2P table
 * every sled must end up with. Pure: no Kafka, no clock.
 */
package dev.v2pledger.devstack.oracle;
