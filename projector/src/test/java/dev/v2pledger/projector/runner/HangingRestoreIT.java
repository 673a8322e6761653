package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.projector.testing.HangingTransactionWriter;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KAFKA-20734 on the changelog: a transaction its coordinator committed, offsets and all, whose
 * changelog marker was never written. A successor's restore finds it hanging and aborts it, which
 * discards states the committed offsets count; the successor must fold those events again, from the
 * transaction's {@code v2p.folded-from}, or their instances' states and mappings are lost.
 *
 * <p>Made on purpose: the events are published and never folded; the changelog gets a record in a
 * transaction no coordinator will close ({@link HangingTransactionWriter}), naming where its events
 * began; the group's offset is moved past them, as the lost commit had.
 */
class HangingRestoreIT {
  @Test
  void statesOfAnAbortedCommittedTransactionAreFoldedAgain(@TempDir Path dir) throws Exception {
    long seed = Seeds.pick("HangingRestoreIT");
    Workload workload = new Workload(seed, 20, 4);
    Map<String, Object> shortTimeout = Map.of("transaction.timeout.ms", 5_000);
    try (EmbeddedKafkaBroker kafka = HangingTransactionWriter.broker(dir);
        Harness harness =
            new Harness(kafka, "hanging-restore", 1, Seeds.context("HangingRestoreIT", seed))) {
      harness.publish(workload.next(100, 10));
      Projector first =
          harness.start(harness.config("p1", shortTimeout, b -> b.staticMembership(false)));
      harness.awaitReady(first);
      harness.awaitCaughtUp();
      first.close(); // leaves the group
      List<ConsumerRecord<byte[], byte[]>> states =
          harness.readAll(harness.topics().instanceState());
      assertThat(states)
          .as("every state record names where its transaction's events began")
          .isNotEmpty()
          .allSatisfy(
              r ->
                  assertThat(FoldedFrom.parse(r.headers().lastHeader(FoldedFrom.HEADER)))
                      .isNotNull()
                      .isBetween(0L, 99L));
      assertThat(FoldedFrom.parse(states.get(0).headers().lastHeader(FoldedFrom.HEADER)))
          .as("the first transaction began at the first event")
          .isZero();

      // the lost transaction: it folded these events, wrote their states and committed offsets
      List<InstanceEvent> lost = workload.next(40, 10);
      List<EventPosition> positions = harness.publish(lost);
      long foldedFrom = positions.get(0).offset();
      TopicPartition changelog = new TopicPartition(harness.topics().instanceState(), 0);
      HangingTransactionWriter.write(
          kafka,
          "lost-commit",
          changelog,
          lost.get(0).instanceId().toString().getBytes(StandardCharsets.UTF_8),
          new byte[] {0},
          new RecordHeader(FoldedFrom.HEADER, FoldedFrom.value(foldedFrom)));
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        TopicPartition events = new TopicPartition(harness.topics().events(), 0);
        long end = positions.get(positions.size() - 1).offset() + 1;
        admin
            .alterConsumerGroupOffsets(harness.group(), Map.of(events, new OffsetAndMetadata(end)))
            .all()
            .get();
      }

      Projector successor =
          harness.start(
              harness.config(
                  "p2",
                  shortTimeout,
                  b -> b.staticMembership(false).kafkaTimeout(Duration.ofSeconds(30))));
      harness.awaitReady(successor);
      harness.awaitCaughtUp();
      assertThat(successor.metrics().hangingAbortedCount()).isEqualTo(1);
      harness.assertMatchesOracle();
    }
  }
}
