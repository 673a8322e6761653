/**
 * The sled applier: one per sled, it keeps the sled's XDE virtual-to-physical table equal to the
 * mappings projected to {@code v2p.mappings}, repairing whatever XDE changes on its own. {@code
 * xde} is the narrow device interface and its implementations, {@code reconcile} the diff and apply
 * rules, {@code runner} the Kafka loop and acks, {@code cli} the operator commands.
 */
package dev.v2pledger.applier;
