package dev.v2pledger.replay;

import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventCodec;
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
import dev.v2pledger.schema.testing.NextRelease;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Events of the dead-letter tests: instance {@code n}'s NIC attached and VMM placed (ids, MAC and
 * underlay derived from {@code n}), sent as bytes to their key's partition of {@code v2p.events},
 * the NIC's event now and then in {@link #NEXT}, a schema of a next release that {@code
 * v2p.schemas} does not hold: the projector dead-letters it ({@code UNKNOWN_SCHEMA}).
 */
final class LetteredEvents {
  static final Schema NEXT =
      NextRelease.of(dev.v2pledger.schema.avro.InstanceEvent.getClassSchema());

  private LetteredEvents() {}

  static InstanceEvent attached(InstanceId id, int n, String ip) {
    return InstanceEvent.of(
        id,
        new EventPayload.NicAttached(
            NicId.parse(String.format(Locale.ROOT, "11111111-2222-4333-8444-%012d", n)),
            new Vni(7777),
            MacAddr.parse(String.format(Locale.ROOT, "a8:40:25:00:%02x:%02x", n >> 8, n & 0xff)),
            List.of(IpAddr.parse(ip)),
            1));
  }

  static InstanceEvent placed(InstanceId id, int n) {
    return InstanceEvent.of(
        id,
        new EventPayload.VmmPlaced(
            VmmId.parse(String.format(Locale.ROOT, "7a000000-0000-4000-8000-%012d", n)),
            SledId.parse(String.format(Locale.ROOT, "51ed0000-0000-4000-8000-%012d", n)),
            Ipv6Addr.parse("fd00::" + Integer.toHexString(n))));
  }

  /** Sends {@code event} to its key's partition ({@code newer}: in {@link #NEXT}); where it is. */
  static RecordMetadata send(
      KafkaProducer<byte[], byte[]> producer, InstanceId id, InstanceEvent event, boolean newer)
      throws Exception {
    byte[] key = id.toString().getBytes(StandardCharsets.UTF_8);
    byte[] value =
        newer
            ? NextRelease.encode(NEXT, EventCodec.toAvro(event), "a newer publisher")
            : new EventCodec().encode(event);
    return producer
        .send(new ProducerRecord<>(Topics.EVENTS, Partitioning.partitionOf(key, 3), key, value))
        .get(30, TimeUnit.SECONDS);
  }
}
