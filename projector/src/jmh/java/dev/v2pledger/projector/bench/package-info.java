/**
 * Benchmarks of the projector (not tests): JMH for the fold, and mains for the heap per state,
 * end-to-end throughput with exactly-once and per-hop latency against an embedded broker. Run them
 * with {@code mvn -B -Pjmh -pl projector -am process-test-classes -Dbench=NAME}; numbers and what
 * they show are in BENCHMARKS.md.
 */
@NullMarked
package dev.v2pledger.projector.bench;

import org.jspecify.annotations.NullMarked;
