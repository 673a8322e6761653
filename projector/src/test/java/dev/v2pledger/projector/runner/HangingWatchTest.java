package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.projector.metrics.ProjectorMetrics;
import dev.v2pledger.projector.topics.ProjectorTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One hanging-transaction watch per cluster and topics in a process, however many runners. */
class HangingWatchTest {
  private static final Map<String, Object> CLUSTER = Map.of("bootstrap.servers", "127.0.0.1:9");
  private static final Duration NEVER = Duration.ofHours(1);

  private static HangingWatch start(ProjectorConfig config) {
    return HangingWatch.start(
        config, new ProjectorMetrics(new SimpleMeterRegistry(), config.instanceId()), NEVER, NEVER);
  }

  @Test
  void runnersOfOneClusterAndTopicsShareOneWatch_whichStopsWithTheLastOfThem() {
    HangingWatch a = start(ProjectorConfig.builder(CLUSTER, "a").build());
    HangingWatch b = start(ProjectorConfig.builder(CLUSTER, "b").build());
    HangingWatch elsewhere =
        start(
            ProjectorConfig.builder(CLUSTER, "c")
                .topics(ProjectorTopics.DEFAULT.withPrefix("other."))
                .build());
    try {
      assertThat(b).isSameAs(a);
      assertThat(elsewhere).isNotSameAs(a);

      a.close();
      assertThat(b.stopped()).as("b still uses the watch").isFalse();
      b.close();
      assertThat(a.stopped()).isTrue();

      HangingWatch again = start(ProjectorConfig.builder(CLUSTER, "d").build());
      assertThat(again)
          .as("a new runner after the last one closed starts a new watch")
          .isNotSameAs(a);
      again.close();
      assertThat(again.stopped()).isTrue();
    } finally {
      elsewhere.close();
    }
    assertThat(elsewhere.stopped()).isTrue();
  }
}
