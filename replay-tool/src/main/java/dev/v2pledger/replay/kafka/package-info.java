/**
 * The replay tool's own work with Kafka: exporting {@code v2p.events} to JSON lines and tracing a
 * record's way ({@code publish} uses the one shared publisher, {@code
 * dev.v2pledger.schema.publish.EventPublisher}). Reading the ledger's topics ({@code KafkaAccess},
 * {@code ProjectedTopic}, {@code AckIndex}) is shared with devstack and lives in {@code
 * dev.v2pledger.runtime.kafka}.
 */
@NullMarked
package dev.v2pledger.replay.kafka;

import org.jspecify.annotations.NullMarked;
