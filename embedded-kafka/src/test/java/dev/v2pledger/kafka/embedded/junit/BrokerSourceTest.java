package dev.v2pledger.kafka.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BrokerSourceTest {

  @Test
  void unsetOrBlank_isEmbedded() {
    assertThat(BrokerSource.parse(null)).isEqualTo(BrokerSource.EMBEDDED);
    assertThat(BrokerSource.parse(" ")).isEqualTo(BrokerSource.EMBEDDED);
  }

  @Test
  void namesAreCaseInsensitive() {
    assertThat(BrokerSource.parse("Testcontainers")).isEqualTo(BrokerSource.TESTCONTAINERS);
    assertThat(BrokerSource.parse(" embedded ")).isEqualTo(BrokerSource.EMBEDDED);
  }

  @Test
  void unknownName_isRejectedWithTheValidOnes() {
    assertThatThrownBy(() -> BrokerSource.parse("docker"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v2p.test.broker=docker")
        .hasMessageContaining("embedded, testcontainers");
  }
}
