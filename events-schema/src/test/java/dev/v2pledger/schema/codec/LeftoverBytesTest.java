package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.testing.SampleEvents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * A record's bytes end where its writer schema says: bytes left over mean the header names another
 * schema than the one the bytes were written with (or the bytes are damaged), and what decodes is
 * then not what was written.
 */
class LeftoverBytesTest {
  private static final RecordOrigin ORIGIN = RecordOrigin.of("v2p.events", 1, 7);
  private final EventCodec codec = new EventCodec();

  @Test
  void givenBytesAfterTheRecord_thenItIsCorrupt() {
    byte[] bytes = codec.encode(SampleEvents.everyType().get(0));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

    assertThatThrownBy(() -> codec.decode(longer, ORIGIN))
        .isInstanceOfSatisfying(
            RecordDecodeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
              assertThat(e.detail()).contains("3 bytes after");
            });
  }

  @Test
  void givenAV2RecordUnderV1sFingerprint_thenItIsCorruptNotAnEventWithoutInstanceGen() {
    InstanceEvent event = SampleEvents.everyType().get(0).withInstanceGen(7);
    byte[] bytes = codec.encode(event);
    long v1 =
        SchemaNormalization.parsingFingerprint64(SchemaHistory.versions("InstanceEvent").get(0));
    ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(v1);

    assertThatThrownBy(() -> codec.decode(bytes, ORIGIN))
        .isInstanceOfSatisfying(
            RecordDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
  }
}
