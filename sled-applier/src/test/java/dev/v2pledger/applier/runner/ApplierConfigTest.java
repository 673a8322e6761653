package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.U;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.domain.Vni;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApplierConfigTest {
  private static final ApplierConfig DEFAULTS =
      ApplierConfig.of(U.id(), Map.of("bootstrap.servers", "127.0.0.1:9092"));

  /** No projector writes the services VNI's entries: an applier managing it would clear them. */
  @Test
  void theServicesVniIsAlwaysExcluded_otherVnisAreExcludedBesideIt() {
    assertThat(DEFAULTS.excludedVnis()).containsExactly(Vni.SERVICES);
    assertThat(DEFAULTS.withExcludedVnis(Set.of(new Vni(200))).excludedVnis())
        .containsExactlyInAnyOrder(Vni.SERVICES, new Vni(200));
    assertThat(DEFAULTS.withExcludedVnis(Set.of()).excludedVnis()).containsExactly(Vni.SERVICES);
  }

  /**
   * The loop adds the intervals to {@code nanoTime} in nanoseconds, which overflow past 292 years:
   * such an interval was taken, and every pass then threw ArithmeticException from the schedule
   * (after the pass, so each step ran one), until ten in a row stopped the applier. The command
   * line refuses more than ten years; so does the configuration an embedder builds.
   */
  @Test
  void anIntervalLongerThanTheLongestDuration_isRefused_notFoundOutByTheLoop() {
    Duration overflowing = Duration.ofDays(365L * 300);

    assertThatThrownBy(() -> DEFAULTS.withReconcileInterval(overflowing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reconcile interval");
    assertThatThrownBy(() -> DEFAULTS.withProgressInterval(overflowing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("progress interval");
    assertThat(DEFAULTS.withReconcileInterval(Duration.ofDays(3650)).reconcileInterval())
        .isEqualTo(Duration.ofDays(3650));
  }
}
