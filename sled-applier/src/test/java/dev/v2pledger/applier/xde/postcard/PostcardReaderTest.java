package dev.v2pledger.applier.xde.postcard;

import static dev.v2pledger.applier.xde.postcard.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.testing.Seeds;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PostcardReaderTest {

  @Test
  void varintsRoundTripThroughTheWriterAtEveryWidth() {
    long seed = Seeds.pick("PostcardReaderTest");
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      long value = random.nextLong() >>> random.nextInt(64);
      int signed = random.nextInt() >> random.nextInt(32);
      byte[] encoded = new PostcardWriter().varint(value).zigzag(signed).toByteArray();
      PostcardReader in = new PostcardReader(encoded);
      assertThat(in.varintU64("v")).as(Seeds.replay(seed)).isEqualTo(value);
      assertThat(in.zigzagI32("z")).as(Seeds.replay(seed)).isEqualTo(signed);
      in.expectEnd("pair");
    }
  }

  @Test
  void refusesOverlongAndOverflowingVarints() {
    assertThatThrownBy(() -> new PostcardReader(bytes("8080808080808080808001")).varintU64("v"))
        .hasMessage("postcard: at byte 0: v: varint overflows 64 bits");
    assertThatThrownBy(() -> new PostcardReader(bytes("ffffffff1f")).varintU32("v"))
        .hasMessage("postcard: at byte 0: v: varint does not fit 32 bits");
    assertThatThrownBy(() -> new PostcardReader(bytes("808080808000")).varintU32("v"))
        .hasMessage("postcard: at byte 0: v: varint does not fit 32 bits");
    assertThat(new PostcardReader(bytes("ffffffff0f")).varintU32("v")).isEqualTo(-1);
  }

  @Test
  void refusesToReadPastTheGivenLength() {
    PostcardReader in = new PostcardReader(bytes("01020304"), 2);
    assertThat(in.fixed(2, "a")).containsExactly(1, 2);
    assertThatThrownBy(() -> in.u8("b"))
        .hasMessage("postcard: at byte 2: b: input ends, needs 1 more byte(s), 0 left");
  }
}
