package dev.v2pledger.schema.publish;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings a publisher refuses before it opens anything (no broker needed). */
class EventPublisherSettingsTest {

  @Test
  void refusesAPartitionerThatWouldRouteAnInstancesEventsElsewhere_beforeConnecting() {
    Map<String, Object> kafka =
        Map.of("bootstrap.servers", "127.0.0.1:1", "partitioner.ignore.keys", "true");

    // with a broker nobody answers at, opening the registry would fail otherwise, not this way
    assertThatThrownBy(() -> new EventPublisher(kafka, "test", Duration.ofMinutes(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("partitioner.ignore.keys=true is not supported");
  }
}
