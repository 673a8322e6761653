package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code verify} against {@code v2p.mappings} compares as of the replay's cut: pairs written for
 * later events are not compared (their records as of the cut may be compacted away), and when the
 * projectors' group had not committed the whole cut, the differences are said to be possibly lag.
 * One partition: offsets 0, 1, 2 move instance A from sled S to sled T; 3 and 4 place B.
 */
@WithKafka
@TestMethodOrder(OrderAnnotation.class)
class VerifyCutIT {
  private static final InstanceId A = InstanceId.parse("a0000000-0000-4000-8000-00000000000a");
  private static final InstanceId B = InstanceId.parse("a0000000-0000-4000-8000-00000000000b");
  private static final SledId S = SledId.parse("51ed0000-0000-4000-8000-000000000001");
  private static final SledId T = SledId.parse("51ed0000-0000-4000-8000-000000000002");
  private static final TopicPartition EVENTS_0 = new TopicPartition(Topics.EVENTS, 0);

  @Test
  @Order(1)
  void pairsWrittenForEventsAfterAnEarlierCutAreNotCompared(KafkaCluster kafka) throws Exception {
    kafka.createTopics(
        TopicSpec.of(Topics.EVENTS, 1).withConfig("message.timestamp.type", "LogAppendTime"),
        TopicSpec.of(Topics.MAPPINGS, 1).withConfig("cleanup.policy", "compact"));
    publish(kafka, attached(A, "172.30.0.1"), placed(A, 1, S), placed(A, 2, T));
    project(kafka);
    commit(kafka, 3);

    ToolRunner.Run cut = verify(kafka, "--until-offset", "0:1");
    ToolRunner.Run whole = verify(kafka);

    assertThat(cut.exit()).as(cut.out() + cut.err()).isZero();
    assertThat(cut.out())
        .contains(": equal")
        .contains("not compared: 1 (vni, ip) pair(s) written for events after the replay's cut");
    assertThat(whole.exit()).as(whole.out() + whole.err()).isZero();
    assertThat(whole.out()).contains(": equal").doesNotContain("not compared");
  }

  @Test
  @Order(2)
  void differencesWhileTheProjectorsHadNotCommittedTheCutAreSaidToBePossiblyLag(KafkaCluster kafka)
      throws Exception {
    publish(kafka, attached(B, "172.30.0.2"), placed(B, 3, S)); // offsets 3 and 4, not projected

    ToolRunner.Run lagging = verify(kafka);
    commit(kafka, 5); // committed without the records: not lag any more
    ToolRunner.Run lost = verify(kafka);
    ToolRunner.Run otherGroup = verify(kafka, "--projector-group", "nobody");

    assertThat(lagging.exit()).isEqualTo(1);
    assertThat(lagging.out())
        .contains("1 difference(s)")
        .containsPattern("MISSING\\s+7777/172.30.0.2")
        .contains(
            "group v2p-projector had not projected 2 event(s) of the replay's cut (partition 0:"
                + " committed 3, the cut ends after 4): differences may be lag");
    assertThat(lost.exit()).isEqualTo(1);
    assertThat(lost.out()).contains("1 difference(s)").doesNotContain("may be lag");
    assertThat(otherGroup.out())
        .contains("group nobody had not projected 5 event(s) of the replay's cut (partition 0:");
  }

  private static ToolRunner.Run verify(KafkaCluster kafka, String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "verify";
    args[1] = "--bootstrap-servers";
    args[2] = kafka.bootstrapServers();
    System.arraycopy(more, 0, args, 3, more.length);
    return run(args);
  }

  private static InstanceEvent attached(InstanceId instance, String ip) {
    return InstanceEvent.of(
        instance,
        new EventPayload.NicAttached(
            new NicId(instance.value()),
            new Vni(7777),
            MacAddr.parse("a8:40:25:00:00:01"),
            List.of(IpAddr.parse(ip)),
            1));
  }

  private static InstanceEvent placed(InstanceId instance, int vmm, SledId sled) {
    return InstanceEvent.of(
        instance,
        new EventPayload.VmmPlaced(
            VmmId.parse(String.format("7a000000-0000-4000-8000-%012d", vmm)),
            sled,
            Ipv6Addr.parse("fd00:1122:3344:10" + sled.toString().charAt(35) + "::1")));
  }

  private static void publish(KafkaCluster kafka, InstanceEvent... events) {
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      for (InstanceEvent event : events) {
        RecordHeaders headers = new RecordHeaders();
        V2PSerde.events().addHeaders(headers);
        producer.send(
            new ProducerRecord<>(
                Topics.EVENTS,
                0,
                null,
                event.key().getBytes(),
                new EventCodec().encode(event),
                headers));
      }
    }
  }

  private static void project(KafkaCluster kafka) {
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      TestProjection.project(kafka, producer, 1);
    }
  }

  /** The projectors' group commits {@code offset} in partition 0 of the events. */
  private static void commit(KafkaCluster kafka, long offset) throws Exception {
    try (Admin admin = kafka.admin()) {
      admin
          .alterConsumerGroupOffsets(
              Topics.PROJECTOR_GROUP, Map.of(EVENTS_0, new OffsetAndMetadata(offset)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(KafkaCluster kafka) {
    return new KafkaProducer<>(
        kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
  }
}
