package dev.v2pledger.projector.runner;

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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Events of unit tests, as records of the events topic. */
final class Events {
  static final String TOPIC = "v2p.events";
  static final InstanceId A = InstanceId.parse("aaaaaaaa-0000-4000-8000-00000000000a");
  static final InstanceId B = InstanceId.parse("bbbbbbbb-0000-4000-8000-00000000000b");
  static final SledId SLED = SledId.parse("51ed0000-0000-4000-8000-00000000000a");
  static final Ipv6Addr UNDERLAY = Ipv6Addr.parse("fd00:1122:3344:101::1");
  static final long TIMESTAMP = 1_700_000_000_000L;

  private Events() {}

  static NicId nic(InstanceId instance) {
    return new NicId(new UUID(instance.value().getMostSignificantBits(), 1));
  }

  static InstanceEvent attached(InstanceId instance, String ip, long epoch) {
    return InstanceEvent.of(
        instance,
        new EventPayload.NicAttached(
            nic(instance),
            new Vni(7777),
            new MacAddr(0xa8402500000aL),
            List.of(IpAddr.parse(ip)),
            epoch));
  }

  static InstanceEvent placed(InstanceId instance, int vmm) {
    return InstanceEvent.of(
        instance, new EventPayload.VmmPlaced(new VmmId(new UUID(0x4000L, vmm)), SLED, UNDERLAY));
  }

  static InstanceEvent detached(InstanceId instance) {
    return InstanceEvent.of(instance, new EventPayload.NicDetached(nic(instance)));
  }

  static ConsumerRecord<byte[], byte[]> record(int partition, long offset, InstanceEvent event) {
    return record(partition, offset, utf8(event.key()), new EventCodec().encode(event));
  }

  static ConsumerRecord<byte[], byte[]> record(
      int partition, long offset, byte[] key, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    V2PSerde.events().addHeaders(headers);
    return new ConsumerRecord<>(
        TOPIC,
        partition,
        offset,
        TIMESTAMP + offset,
        TimestampType.LOG_APPEND_TIME,
        key == null ? -1 : key.length,
        value == null ? -1 : value.length,
        key,
        value,
        headers,
        Optional.empty());
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
