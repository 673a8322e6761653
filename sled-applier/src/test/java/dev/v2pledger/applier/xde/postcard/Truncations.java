package dev.v2pledger.applier.xde.postcard;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cutting a valid message short anywhere is refused, naming the offset. */
final class Truncations {
  private Truncations() {}

  /** How a message of some type is decoded from the first {@code length} bytes. */
  interface Decoder {
    Object decode(byte[] bytes, int length);
  }

  /** Every proper prefix of {@code message} is refused by {@code decoder} with its offset. */
  static void assertEveryTruncationRefused(byte[] message, Decoder decoder) {
    for (int length = 0; length < message.length; length++) {
      int n = length;
      assertThatThrownBy(() -> decoder.decode(message, n))
          .as("first %d bytes", n)
          .isInstanceOf(PostcardException.class)
          .hasMessageMatching("postcard: at byte \\d+: .*(input ends|bytes remain).*");
    }
  }
}
