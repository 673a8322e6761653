package dev.v2pledger.applier.xde.postcard;

import static dev.v2pledger.applier.xde.postcard.Hex.hex;

import java.util.Random;
import java.util.function.Function;

/**
 * Random garbage made from a valid message is decoded or refused with a {@link PostcardException},
 * never anything else; the seed is printed on failure.
 */
final class Garbage {
  private static final int ROUNDS = 20_000;

  private Garbage() {}

  /** One garbled message: its bytes and how many of them the decoder is given. */
  record Input(byte[] bytes, int length) {}

  /** Decodes {@value #ROUNDS} inputs that {@code garble} makes from a seeded random. */
  static void assertDecodedOrRefused(Function<Random, Input> garble, Truncations.Decoder decoder) {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      Input input = garble.apply(random);
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
}
