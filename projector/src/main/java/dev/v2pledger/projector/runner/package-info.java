/**
 * The projector's Kafka runner: consume-transform-produce over {@code v2p.events} with exactly-once
 * semantics. {@link dev.v2pledger.projector.runner.Projector} is the handle (start, close); {@code
 * ProjectorLoop} classifies errors once; {@code Session} is one generation of clients: poll, fold,
 * restore on assignment, commit on revocation; its {@code Transactions} are time-boxed (mappings,
 * changed states and offsets together) on two producers in turn; {@code EventProcessor} is the
 * Kafka-free step from a record to the records it causes, poison events included. The fold itself
 * is the {@code fold} module ({@code dev.v2pledger.fold}).
 */
@NullMarked
package dev.v2pledger.projector.runner;

import org.jspecify.annotations.NullMarked;
