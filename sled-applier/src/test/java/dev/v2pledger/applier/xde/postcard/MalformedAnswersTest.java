package dev.v2pledger.applier.xde.postcard;

import static dev.v2pledger.applier.xde.postcard.Hex.bytes;
import static dev.v2pledger.applier.xde.postcard.Hex.hex;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * XDE's answers that are not whole or not valid are refused with a {@link PostcardException}, never
 * anything else: every truncation of a valid answer (naming the offset), and random garbage made
 * from one (the seed is printed on failure).
 */
class MalformedAnswersTest {
  private static final int GARBAGE_ROUNDS = 20_000;

  /** How an answer of some type is decoded from the first {@code length} bytes. */
  interface Decoder {
    Object decode(byte[] bytes, int length);
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of(
            "ListPortsResp", bytes(PortMessagesTest.LIST), (Decoder) PortMessages::decodeListPorts),
        Arguments.of(
            "DumpVirt2PhysResp", bytes(V2PMessagesTest.DUMP), (Decoder) V2PMessages::decodeDump));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void everyTruncationIsRefusedWithItsOffset(String type, byte[] valid, Decoder decoder) {
    for (int length = 0; length < valid.length; length++) {
      int n = length;
      assertThatThrownBy(() -> decoder.decode(valid, n))
          .as("first %d bytes", n)
          .isInstanceOf(PostcardException.class)
          .hasMessageMatching("postcard: at byte \\d+: .*(input ends|bytes remain).*");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void randomGarbageIsDecodedOrRefusedNeverAnythingElse(
      String type, byte[] valid, Decoder decoder) {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int round = 0; round < GARBAGE_ROUNDS; round++) {
      Garbled input = garble(valid, random);
      try {
        decoder.decode(input.bytes(), input.length());
      } catch (PostcardException expected) {
        // refused with a reason: fine
      } catch (RuntimeException e) {
        throw new AssertionError(
            "seed " + seed + ", input " + hex(input.bytes()) + " / " + input.length(), e);
      }
    }
  }

  /** One garbled answer: its bytes and how many of them the decoder is given. */
  private record Garbled(byte[] bytes, int length) {}

  /**
   * A quarter are noise of up to 64 bytes; the rest are {@code valid} with one to four bytes
   * overwritten, given cut at a random length.
   */
  private static Garbled garble(byte[] valid, Random random) {
    if (random.nextInt(4) == 0) {
      byte[] noise = new byte[random.nextInt(64)];
      random.nextBytes(noise);
      return new Garbled(noise, noise.length);
    }
    byte[] input = valid.clone();
    for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
      input[random.nextInt(input.length)] = (byte) random.nextInt(256);
    }
    return new Garbled(input, random.nextInt(input.length + 1));
  }
}
