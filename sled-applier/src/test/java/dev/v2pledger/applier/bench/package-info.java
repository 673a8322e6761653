/**
 * Benchmarks (not tests: Surefire and Failsafe do not pick up {@code *Bench}). Run one with {@code
 * mvn -B -pl sled-applier -am process-test-classes -Pbench -Dbench=NAME} (see BENCHMARKS.md).
 */
package dev.v2pledger.applier.bench;
