package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.U;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.domain.Vni;
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
}
