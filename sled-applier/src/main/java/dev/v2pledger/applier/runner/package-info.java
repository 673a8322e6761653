/**
 * The applier as a process part: {@link dev.v2pledger.applier.runner.SledApplier} reads every
 * partition of {@code v2p.mappings} (snapshot, then deltas) on one thread that also runs the
 * reconcile passes and publishes watermark acks to {@code v2p.acks}; {@code ApplierEngine} is that
 * thread's state without Kafka, so the seed's races can be tested against the simulated device
 * directly. {@code ApplierLoop} is that thread's loop; each concern of its steps (decoding, held
 * records, added partitions, the snapshot, the pass schedule, acks, status) is a class beside it,
 * sharing the loop's config, engine, meters and pass schedule through one {@code LoopContext}.
 * Embeddable: devstack runs several appliers in one JVM.
 */
@NullMarked
package dev.v2pledger.applier.runner;

import org.jspecify.annotations.NullMarked;
