package dev.v2pledger.schema.domain;

/** A Geneve virtual network identifier: 24 bits, 0..16777215. */
public record Vni(int value) implements Comparable<Vni> {
  public static final int MAX = (1 << 24) - 1;

  /** The services VNI, which appliers leave alone by default. */
  public static final Vni SERVICES = new Vni(100);

  /**
   * {@code vnis} and the services VNI: what an applier never touches (no projector writes the
   * services VNI's entries), and what a comparison with a sled's table therefore leaves out.
   */
  public static java.util.Set<Vni> withServices(java.util.Collection<Vni> vnis) {
    java.util.Set<Vni> all = new java.util.HashSet<>(vnis);
    all.add(SERVICES);
    return java.util.Set.copyOf(all);
  }

  public Vni {
    if (value < 0 || value > MAX) {
      throw new IllegalArgumentException("VNI " + value + " is out of range 0.." + MAX);
    }
  }

  /** Parses a decimal VNI; throws {@link IllegalArgumentException} saying why not. */
  public static Vni parse(String text) {
    try {
      String trimmed = text.trim();
      for (int i = 0; i < trimmed.length(); i++) { // parseInt takes any script's digits
        if (trimmed.charAt(i) >= 128) {
          throw new NumberFormatException(trimmed);
        }
      }
      return new Vni(Integer.parseInt(trimmed));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("VNI '" + Values.abbreviate(text) + "' is not a number");
    }
  }

  @Override
  public int compareTo(Vni other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}
