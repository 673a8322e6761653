package dev.v2pledger.applier.reconcile;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one reconcile pass did (Omicron-style status): entries set and cleared, entries already
 * right, entries left alone in excluded VNIs, calls that failed (or were not attempted after the
 * device itself failed), the repairs by reason, and how long it took.
 *
 * @param withheld calls not issued: clears, because clears were withheld (an undecodable record, a
 *     partition not read to its end yet), and sets over a held record's VIP, whose entry on the
 *     device is kept: the device may hold entries desired does not
 * @param repairs the first {@link #LISTED_REPAIRS} repairs made, in order (what XDE or anyone else
 *     changed, and how it was put back: the log line names them)
 * @param dumpError why the device could not be read, in which case nothing was done
 */
public record PassResult(
    long number,
    int set,
    int cleared,
    int inSync,
    int excludedSkipped,
    int failed,
    int withheld,
    Map<DriftReason, Integer> repaired,
    List<Action> repairs,
    Duration took,
    @Nullable String dumpError) {

  /** Repairs a pass names, at most: the rest are counted. */
  public static final int LISTED_REPAIRS = 20;

  public PassResult {
    Objects.requireNonNull(took, "took");
    repairs = List.copyOf(repairs);
    EnumMap<DriftReason, Integer> copy = new EnumMap<>(DriftReason.class);
    copy.putAll(repaired);
    repaired = Map.copyOf(copy);
  }

  /** Whether the device equals desired (outside excluded VNIs) as of the pass's dump. */
  public boolean ok() {
    return failed == 0 && withheld == 0 && dumpError == null;
  }

  public static PassResult dumpFailed(long number, Duration took, String error) {
    return new PassResult(number, 0, 0, 0, 0, 0, 0, Map.of(), List.of(), took, error);
  }

  @Override
  public String toString() {
    if (dumpError != null) {
      return "pass " + number + ": could not read the device: " + dumpError;
    }
    return "pass "
        + number
        + ": set "
        + set
        + ", cleared "
        + cleared
        + ", in sync "
        + inSync
        + ", excluded "
        + excludedSkipped
        + ", failed "
        + failed
        + (withheld == 0 ? "" : ", withheld " + withheld)
        + " in "
        + took.toMillis()
        + " ms"
        + listedRepairs();
  }

  /** "; repaired: set ... (missing), clear ... (unknown), and 3 more", or "" with none. */
  private String listedRepairs() {
    if (repairs.isEmpty()) {
      return "";
    }
    int all = repaired.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder out = new StringBuilder("; repaired: ");
    for (int i = 0; i < repairs.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(repairs.get(i));
    }
    return all > repairs.size()
        ? out.append(", and ").append(all - repairs.size()).append(" more").toString()
        : out.toString();
  }
}
