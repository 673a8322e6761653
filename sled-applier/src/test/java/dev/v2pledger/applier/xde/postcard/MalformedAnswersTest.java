package dev.v2pledger.applier.xde.postcard;

import static dev.v2pledger.applier.xde.postcard.Hex.bytes;
import static dev.v2pledger.applier.xde.postcard.Hex.hex;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.testing.Seeds;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * XDE's answers that are not whole or not valid are refused with a {@link PostcardException}, never
 * anything else: every truncation of a valid answer (naming the offset), and random garbage made
 * from one or from nothing (the seed is printed on failure).
 */
class MalformedAnswersTest {
  /** Rounds of overwritten answers; noise rounds come on top (a third as many). */
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
    long seed = Seeds.pick("MalformedAnswersTest");
    Random random = new Random(seed);
    for (int round = 0; round < GARBAGE_ROUNDS * 4 / 3; round++) {
      Garbled input = round % 4 == 3 ? noise(random) : overwritten(valid, random);
      try {
        decoder.decode(input.bytes(), input.length());
      } catch (PostcardException expected) {
        // refused with a reason: fine
      } catch (RuntimeException e) {
        throw new AssertionError(
            Seeds.replay(seed) + ", input " + hex(input.bytes()) + " / " + input.length(), e);
      }
    }
  }

  /** One garbled answer: its bytes and how many of them the decoder is given. */
  private record Garbled(byte[] bytes, int length) {}

  /** Noise of up to 64 bytes. */
  private static Garbled noise(Random random) {
    byte[] noise = new byte[random.nextInt(64)];
    random.nextBytes(noise);
    return new Garbled(noise, noise.length);
  }

  /**
   * {@code valid} with one to four bytes overwritten, cut at a random length: half the time given
   * as an array of exactly that length (a read past the end fails on the array itself), half the
   * time as the whole array with the length passed in (as the binding passes XDE's buffer).
   */
  private static Garbled overwritten(byte[] valid, Random random) {
    byte[] input = valid.clone();
    for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
      input[random.nextInt(input.length)] = (byte) random.nextInt(256);
    }
    int cut = random.nextInt(input.length + 1);
    return random.nextBoolean()
        ? new Garbled(Arrays.copyOf(input, cut), cut)
        : new Garbled(input, cut);
  }
}
