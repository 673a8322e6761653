package dev.v2pledger.projector.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How this module's JMH benchmarks run, said once (JMH's annotations are inherited): one fork with
 * a 1 GiB heap, 3 warm-up and 5 measured iterations of 2 seconds, state per benchmark. Subclasses
 * say their mode and unit.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class OneForkBenchmark {}
