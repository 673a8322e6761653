package dev.v2pledger.projector.runner;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.projector.testing.HangingTransactionWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before a hanging changelog transaction is aborted, the group's offset of its partition goes back
 * to where the transaction began folding, durably (a runner that stops before folding again leaves
 * it to the next), and never forward; a transaction of an older build (no header) moves nothing,
 * and neither does one of a partition without a committed offset (folded from its start anyway).
 */
class FoldedFromIT {
  private static final String GROUP = "folded-from";

  @Test
  void theCommittedOffsetGoesBackToTheTransactionsStartOnly(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaBroker kafka = HangingTransactionWriter.broker(dir);
        Admin admin = Admin.create(kafka.clientConfig())) {
      kafka.createTopics(List.of(TopicSpec.of("events", 4), TopicSpec.of("changelog", 4)));
      admin
          .alterConsumerGroupOffsets(
              GROUP,
              Map.of(
                  events(0), new OffsetAndMetadata(10),
                  events(1), new OffsetAndMetadata(10),
                  events(2), new OffsetAndMetadata(10)))
          .all()
          .get();
      HangingTransactions hanging = new HangingTransactions(admin, 30_000);
      write(kafka, 0, new RecordHeader(FoldedFrom.HEADER, FoldedFrom.value(5)));
      write(kafka, 1, new RecordHeader(FoldedFrom.HEADER, FoldedFrom.value(12)));
      write(kafka, 2);
      write(kafka, 3, new RecordHeader(FoldedFrom.HEADER, FoldedFrom.value(5)));

      Map<String, Object> config = new HashMap<>(kafka.clientConfig());
      config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      try (Consumer<byte[], byte[]> group =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        FoldedFrom foldedFrom =
            new FoldedFrom(
                () ->
                    new KafkaConsumer<>(
                        Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_uncommitted"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()),
                group,
                "events",
                Duration.ofSeconds(20),
                System::nanoTime);
        Map<Integer, OptionalLong> from = new HashMap<>();
        for (HangingTransactions.Hanging h :
            hanging.find(List.of(changelog(0), changelog(1), changelog(2), changelog(3)))) {
          from.put(h.partition().partition(), foldedFrom.beforeAbort(h));
        }
        assertThat(from)
            .isEqualTo(
                Map.of(
                    0, OptionalLong.of(5),
                    1, OptionalLong.of(12),
                    2, OptionalLong.empty(),
                    3, OptionalLong.of(5)));
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
      assertThat(committed.get(events(0)).offset()).as("back to the start").isEqualTo(5);
      assertThat(committed.get(events(1)).offset()).as("never forward").isEqualTo(10);
      assertThat(committed.get(events(2)).offset()).as("no header, no move").isEqualTo(10);
      assertThat(committed)
          .as("none committed: folded from the beginning anyway, and left so")
          .doesNotContainKey(events(3));
      assertThat(Set.copyOf(hanging.find(List.of(changelog(0))))).as("not aborted").hasSize(1);
    }
  }

  private static void write(EmbeddedKafkaBroker kafka, int partition, Header... headers)
      throws Exception {
    HangingTransactionWriter.write(
        kafka,
        "ghost-" + partition,
        changelog(partition),
        "k".getBytes(UTF_8),
        new byte[0],
        headers);
  }

  private static TopicPartition events(int partition) {
    return new TopicPartition("events", partition);
  }

  private static TopicPartition changelog(int partition) {
    return new TopicPartition("changelog", partition);
  }
}
