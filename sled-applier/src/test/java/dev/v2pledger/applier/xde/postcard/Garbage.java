package dev.v2pledger.applier.xde.postcard;

import static dev.v2pledger.applier.xde.postcard.Hex.hex;

import java.util.Random;

/**
 * Random garbage made from a valid message is decoded or refused with a {@link PostcardException},
 * never anything else; the seed is printed on failure.
 */
final class Garbage {
  private static final int ROUNDS = 20_000;

  private Garbage() {}

  /** One garbled message: its bytes and how many of them the decoder is given. */
  record Input(byte[] bytes, int length) {}

  /**
   * Decodes {@value #ROUNDS} garbled copies of {@code valid}: a quarter are noise of up to 64
   * bytes; the rest have one to four bytes overwritten and are given cut at a random length.
   */
  static void assertDecodedOrRefused(byte[] valid, Truncations.Decoder decoder) {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      Input input = garble(valid, random);
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

  private static Input garble(byte[] valid, Random random) {
    if (random.nextInt(4) == 0) {
      byte[] noise = new byte[random.nextInt(64)];
      random.nextBytes(noise);
      return new Input(noise, noise.length);
    }
    byte[] input = valid.clone();
    for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
      input[random.nextInt(input.length)] = (byte) random.nextInt(256);
    }
    return new Input(input, random.nextInt(input.length + 1));
  }
}
