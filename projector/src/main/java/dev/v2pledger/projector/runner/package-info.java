/**
 * The projector's Kafka runner: consume-transform-produce over {@code v2p.events} with exactly-once
 * semantics. {@link dev.v2pledger.projector.runner.Projector} is the handle (start, close, kill);
 * {@code ProjectorLoop} classifies errors once; {@code Session} is one generation of clients doing
 * time-boxed transactions (mappings, changed states and offsets together), restore on assignment,
 * commit on revocation; {@code EventProcessor} is the Kafka-free step from a record to the records
 * it causes, poison events included. The fold itself is the {@code fold} module ({@code
 * dev.v2pledger.fold}).
 */
@NullMarked
package dev.v2pledger.projector.runner;

import org.jspecify.annotations.NullMarked;
