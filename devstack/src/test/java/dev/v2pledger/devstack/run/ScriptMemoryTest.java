package dev.v2pledger.devstack.run;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.devstack.workload.WorkloadShape;
import org.junit.jupiter.api.Test;

class ScriptMemoryTest {
  private static final long GB = 1L << 30;

  @Test
  void givenTheDefaults_whenTheHeapIsOneGigabyte_thenTheWorkloadFits() {
    assertThatCode(() -> ScriptMemory.check(WorkloadShape.DEFAULTS, 3000, GB))
        .doesNotThrowAnyException();
    assertThatCode(() -> ScriptMemory.check(WorkloadShape.sized(64, 20_000, 0.2), 3000, 2 * GB))
        .as("BENCHMARKS' largest run, in the ITs' heap")
        .doesNotThrowAnyException();
  }

  @Test
  void givenMoreMigrationsThanHalfTheHeapHolds_thenTheRunIsRefusedNamingTheHeap() {
    assertThatThrownBy(
            () -> ScriptMemory.check(WorkloadShape.sized(64, 2_000_000_000, 0.2), 0, 4 * GB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--instances 64, --migrations 2000000000 and --warmup 0: the workload is generated"
                + " whole before it is played, about 37252.9 GB, more than half of this JVM's heap"
                + " (4.0 GB): give smaller values, or more heap (java -Xmx...)");
  }

  @Test
  void givenManyInstancesOrAHugeWarmUp_thenTheyCountToo() {
    assertThatThrownBy(
            () -> ScriptMemory.check(WorkloadShape.sized(100_000_000, 0, 0.2), 0, 4 * GB))
        .hasMessageContaining("--instances 100000000");
    assertThatThrownBy(
            () -> ScriptMemory.check(WorkloadShape.sized(64, 10, 0.2), Integer.MAX_VALUE, 4 * GB))
        .hasMessageContaining("--warmup 2147483647");
  }
}
