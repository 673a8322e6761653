package dev.v2pledger.devstack.workload;

import java.util.Random;
import java.util.UUID;

/** Version-4-shaped UUIDs drawn from the workload's seeded random, so a seed names its ids. */
final class Ids {
  private final Random random;

  Ids(Random random) {
    this.random = random;
  }

  UUID next() {
    long msb = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
