/**
 * Reading v2p-ledger's topics for a replay: a bounded check that the cluster answers, and one way
 * to read a topic's partitions from the beginning to the end offsets taken when the read starts
 * ({@code read_committed}, no consumer group, nothing committed), used for events, projected
 * mappings and acks alike; and the idempotent publisher of {@code publish}.
 */
@NullMarked
package dev.v2pledger.replay.kafka;

import org.jspecify.annotations.NullMarked;
