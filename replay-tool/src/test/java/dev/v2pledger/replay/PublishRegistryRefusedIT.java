package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * {@code publish} to a cluster without {@code v2p.schemas} (init-topics never ran there): the event
 * schema cannot be registered, and projectors released before it would dead-letter every event
 * (DESIGN "Schemas in the log"). It published them with a warning; now it stops before the first.
 */
@WithKafka
class PublishRegistryRefusedIT {
  @Test
  void aRegistryThatRefusesTheSchema_exits1WithOneLine_andPublishesNothing(KafkaCluster kafka)
      throws Exception {
    kafka.createTopics(TopicSpec.of(Topics.EVENTS, 1));

    ToolRunner.Run publish =
        run(
            "publish",
            "--from-file",
            ToolRunner.fixture("races.jsonl").toString(),
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--timeout",
            "5s");

    assertThat(publish.exit()).as(publish.err()).isEqualTo(1);
    assertThat(publish.err().strip())
        .doesNotContain("\n")
        .startsWith("publish: ")
        .contains(Topics.SCHEMAS + " does not exist")
        .contains("would dead-letter its events")
        .contains("init-topics");
    try (Admin admin = kafka.admin()) {
      TopicPartition events = new TopicPartition(Topics.EVENTS, 0);
      long end =
          admin
              .listOffsets(Map.of(events, OffsetSpec.latest()))
              .partitionResult(events)
              .get(30, TimeUnit.SECONDS)
              .offset();
      assertThat(end).as("nothing published").isZero();
    }
  }
}
