package dev.v2pledger.hardening.fuzz;

import java.util.List;

/**
 * One decoder under test: how to call it, the one exception type it documents for bad input, valid
 * encodings to mutate, and a property every value it returns must have (for example "the fold
 * accepts it"), checked inside the same deadline.
 *
 * @param name shown in reports; {@code -Dv2p.fuzz.target=NAME} runs this target only
 * @param decoder the call
 * @param documented the only throwable allowed for bad input
 * @param seeds valid encodings, mutated by the campaign
 * @param extras well-formed inputs that may be invalid (random field values): judged as they are,
 *     and mutated too
 * @param property checked on every decoded value
 */
record Target(
    String name,
    Decoder decoder,
    Class<? extends Throwable> documented,
    List<byte[]> seeds,
    List<byte[]> extras,
    Property property) {

  /** Decodes bytes; throws the documented exception for bad input. */
  @FunctionalInterface
  interface Decoder {
    Object decode(byte[] bytes) throws Exception;
  }

  /** A property of a decoded value; throws when the value breaks it. */
  @FunctionalInterface
  interface Property {
    void check(Object value) throws Exception;
  }

  Target {
    seeds = List.copyOf(seeds);
    extras = List.copyOf(extras);
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException(name + ": no seeds");
    }
  }

  static Target of(
      String name, Decoder decoder, Class<? extends Throwable> documented, List<byte[]> seeds) {
    return new Target(name, decoder, documented, seeds, List.of(), value -> {});
  }

  Target withProperty(Property check) {
    return new Target(name, decoder, documented, seeds, extras, check);
  }

  Target withExtras(List<byte[]> more) {
    return new Target(name, decoder, documented, seeds, more, property);
  }

  @Override
  public String toString() {
    return name;
  }
}
