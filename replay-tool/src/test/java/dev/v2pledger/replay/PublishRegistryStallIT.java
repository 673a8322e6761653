package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.testing.NoSuchPartition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code publish} while {@code v2p.schemas} does not take the event schema: every write of it goes
 * to a partition the topic does not have ({@link NoSuchPartition}, through {@code --kafka-config})
 * and waits out its delivery timeout.
 */
@WithKafka
class PublishRegistryStallIT {
  /**
   * The registration is tried again (the publisher's attempt as it starts, then the event's, each
   * waiting out the write's delivery, twice {@code --timeout}: no third fits in {@code --timeout}),
   * then the command stops with exit 2 and one line naming {@code v2p.schemas}; nothing is
   * published. It exited 1 ("publishing to ... failed") after two attempts of 20 s each, whatever
   * the timeout.
   */
  @Test
  void aRegistryThatDoesNotTakeTheSchema_exits2NamingIt_withinItsTimeout(
      KafkaCluster kafka, @TempDir Path dir) throws Exception {
    kafka.createTopics(
        TopicSpec.of(Topics.EVENTS, 1),
        TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
    NoSuchPartition.stalling(Map.of());
    Path settings = dir.resolve("kafka.properties");
    Files.writeString(
        settings,
        ProducerConfig.PARTITIONER_CLASS_CONFIG + "=" + NoSuchPartition.class.getName() + "\n");

    ToolRunner.Run publish =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), // the first attempt alone took 20 s before
            () ->
                run(
                    "publish",
                    "--from-file",
                    ToolRunner.fixture("races.jsonl").toString(),
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--kafka-config",
                    settings.toString(),
                    "--timeout",
                    "2s"));

    assertThat(publish.exit()).as(publish.err()).isEqualTo(2);
    assertThat(publish.err().strip())
        .doesNotContain("\n")
        .startsWith(
            "publish: cannot register the event schema in "
                + Topics.SCHEMAS
                + " on "
                + kafka.bootstrapServers()
                + " within 2 s (")
        .endsWith("); 0 event(s) of " + ToolRunner.fixture("races.jsonl") + " were sent before it");
    assertThat(NoSuchPartition.asks()).as("the starting attempt and the event's").isEqualTo(2);
    assertThat(publish.out()).isEmpty();
  }
}
