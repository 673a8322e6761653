package dev.v2pledger.schema.domain;

/**
 * The version of a projected mapping, {@code (ip_epoch, location_gen)}, ordered by epoch then
 * generation. The one place where the three-way rule is written: see {@link #judge}.
 */
public record Version(long ipEpoch, long locationGen) implements Comparable<Version> {

  /** How an incoming record relates to the one already held for the same key. */
  public enum Verdict {
    /** Older than what is held: reject it. */
    OLDER,
    /** Same version and same content: a repeat, nothing to do. */
    DUPLICATE,
    /**
     * Same version, different content: a later fold's decision for the same event (a projector
     * upgraded between an aborted attempt and its retry, or a re-projection by a newer build), and
     * later in its key's partition than the held record: it replaces what is held, and is reported.
     */
    CONFLICT,
    /** Newer: apply it. */
    NEWER;

    public boolean isNewer() {
      return this == NEWER;
    }

    /** Whether the incoming record replaces the held one: newer, or in conflict (later wins). */
    public boolean replaces() {
      return this == NEWER || this == CONFLICT;
    }
  }

  public Version {
    Values.nonNegative(ipEpoch, "ip_epoch");
    Values.nonNegative(locationGen, "location_gen");
  }

  /**
   * The rule: older is rejected, equal with equal content is a no-op, equal with different content
   * is a conflict (the later record replaces the held one), newer is applied.
   *
   * @param incoming the version of the record that arrived
   * @param sameContent whether its content equals the held record's (only read when versions are
   *     equal)
   */
  public Verdict judge(Version incoming, boolean sameContent) {
    int order = incoming.compareTo(this);
    if (order < 0) {
      return Verdict.OLDER;
    }
    if (order > 0) {
      return Verdict.NEWER;
    }
    return sameContent ? Verdict.DUPLICATE : Verdict.CONFLICT;
  }

  @Override
  public int compareTo(Version other) {
    int byEpoch = Long.compare(ipEpoch, other.ipEpoch);
    return byEpoch != 0 ? byEpoch : Long.compare(locationGen, other.locationGen);
  }

  @Override
  public String toString() {
    return "(" + ipEpoch + ", " + locationGen + ")";
  }
}
