/**
 * Support of the projector's integration tests: a seeded rack-like {@code Workload}, the {@code
 * Oracle} that folds the same events in-process, and the {@code Harness} that publishes events,
 * runs projectors on a real broker and compares what Kafka holds with the oracle.
 */
@NullMarked
package dev.v2pledger.projector.testing;

import org.jspecify.annotations.NullMarked;
