package dev.v2pledger.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

  @Test
  void withConfig_returnsANewSpecAndLeavesTheOriginal() {
    TopicSpec plain = TopicSpec.of("t", 3);
    TopicSpec compacted = plain.withConfig("cleanup.policy", "compact");

    assertThat(plain.configs()).isEmpty();
    assertThat(compacted).isEqualTo(new TopicSpec("t", 3, Map.of("cleanup.policy", "compact")));
  }

  @Test
  void configs_areCopied() {
    Map<String, String> configs = new HashMap<>(Map.of("retention.ms", "-1"));
    TopicSpec spec = new TopicSpec("t", 1, configs);
    configs.put("retention.ms", "1");

    assertThat(spec.configs()).containsExactly(Map.entry("retention.ms", "-1"));
  }

  @Test
  void invalidSpecs_areRejected() {
    assertThatThrownBy(() -> TopicSpec.of(" ", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TopicSpec.of("t", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
