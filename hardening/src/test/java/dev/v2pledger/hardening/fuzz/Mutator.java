package dev.v2pledger.hardening.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Corrupts valid encodings the way bad disks, bad peers and bad code do: bit flips, truncation,
 * inserted and deleted runs, duplicated runs, varint length prefixes inflated to huge values, bytes
 * spliced from another valid record, the Avro fingerprint (bytes 2..9) swapped for another schema's
 * or a random one. Seeded: the same seed gives the same mutations.
 */
final class Mutator {
  private static final int MAX_EXTRA = 64;

  private final Random random;
  private final List<byte[]> fingerprints;

  /**
   * @param fingerprints 8-byte fingerprints of other schemas, spliced in by the swap mutation
   */
  Mutator(Random random, List<byte[]> fingerprints) {
    this.random = random;
    this.fingerprints = List.copyOf(fingerprints);
  }

  /** Random bytes, short or long. */
  byte[] garbage() {
    byte[] out = new byte[random.nextInt(4) == 0 ? random.nextInt(4096) : random.nextInt(48)];
    random.nextBytes(out);
    return out;
  }

  /** One to three mutations of {@code valid}, chosen at random; {@code other} feeds splices. */
  byte[] mutate(byte[] valid, byte[] other) {
    byte[] out = valid.clone();
    int rounds = 1 + random.nextInt(3);
    for (int i = 0; i < rounds; i++) {
      out = once(out, other);
    }
    return out;
  }

  private byte[] once(byte[] in, byte[] other) {
    return switch (random.nextInt(9)) {
      case 0 -> flipBits(in);
      case 1 -> Arrays.copyOf(in, in.length == 0 ? 0 : random.nextInt(in.length));
      case 2 -> insert(in, randomBytes(1 + random.nextInt(MAX_EXTRA)));
      case 3 -> delete(in);
      case 4 -> duplicate(in);
      case 5 -> insert(in, hugeVarint());
      case 6 -> overwrite(in, hugeVarint());
      case 7 -> swapFingerprint(in);
      default -> splice(in, other);
    };
  }

  private byte[] flipBits(byte[] in) {
    byte[] out = in.clone();
    int flips = 1 + random.nextInt(4);
    for (int i = 0; i < flips && out.length > 0; i++) {
      out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return out;
  }

  private byte[] insert(byte[] in, byte[] extra) {
    int at = random.nextInt(in.length + 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + extra.length);
    out.write(in, 0, at);
    out.write(extra, 0, extra.length);
    out.write(in, at, in.length - at);
    return out.toByteArray();
  }

  private byte[] delete(byte[] in) {
    if (in.length == 0) {
      return in;
    }
    Run run = randomRun(in, 16);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    out.write(in, 0, run.from());
    out.write(in, run.to(), in.length - run.to());
    return out.toByteArray();
  }

  private byte[] duplicate(byte[] in) {
    if (in.length == 0) {
      return in;
    }
    Run run = randomRun(in, 32);
    return insert(in, Arrays.copyOfRange(in, run.from(), run.to()));
  }

  /** Bytes {@code from} (inclusive) to {@code to} (exclusive) of an input. */
  private record Run(int from, int to) {}

  /** A run of 1 to {@code maxLength} bytes of {@code in} (not empty), at a random place. */
  private Run randomRun(byte[] in, int maxLength) {
    int from = random.nextInt(in.length);
    return new Run(from, Math.min(in.length, from + 1 + random.nextInt(maxLength)));
  }

  /** Overwrites bytes at a random place, as an inflated length prefix would. */
  private byte[] overwrite(byte[] in, byte[] patch) {
    if (in.length == 0) {
      return patch;
    }
    byte[] out = in.clone();
    int at = random.nextInt(in.length);
    for (int i = 0; i < patch.length && at + i < out.length; i++) {
      out[at + i] = patch[i];
    }
    return out;
  }

  /**
   * A varint (Avro zigzag or postcard LEB128; the bytes are the same) encoding a huge value: {@code
   * 0xFF...0x7F} or {@code 0xFE...0x0F}, 2 to 10 bytes.
   */
  private byte[] hugeVarint() {
    int length = 2 + random.nextInt(9);
    byte[] out = new byte[length];
    for (int i = 0; i < length - 1; i++) {
      out[i] = (byte) (random.nextBoolean() ? 0xFF : 0xFE);
    }
    out[length - 1] = (byte) (random.nextBoolean() ? 0x7F : 0x0F);
    return out;
  }

  private byte[] swapFingerprint(byte[] in) {
    if (in.length < 10) {
      return in;
    }
    byte[] out = in.clone();
    byte[] fingerprint =
        fingerprints.isEmpty() || random.nextInt(4) == 0
            ? randomBytes(8)
            : fingerprints.get(random.nextInt(fingerprints.size()));
    System.arraycopy(fingerprint, 0, out, 2, 8);
    return out;
  }

  private byte[] splice(byte[] in, byte[] other) {
    if (in.length == 0 || other.length == 0) {
      return in;
    }
    int at = random.nextInt(in.length);
    int from = random.nextInt(other.length);
    int length = Math.min(other.length - from, 1 + random.nextInt(32));
    byte[] out = Arrays.copyOf(in, Math.max(in.length, at + length));
    System.arraycopy(other, from, out, at, length);
    return out;
  }

  private byte[] randomBytes(int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }
}
