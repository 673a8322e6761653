package dev.v2pledger.devstack.report;

import java.util.Locale;

/**
 * Stale-flow exposure over a run: flow-seconds of conversations whose packets were encapsulated to
 * a sled that no longer hosted the destination VIP.
 *
 * @param flowSeconds every conversation's time, summed
 * @param staleSeconds the stale part, as the devices' flow tables really were
 * @param staleWithoutClearingSeconds the stale part had no flow table been cleared: each flow keeps
 *     the entry it was set up with until it idles out (OPTE without invalidation, and Omicron
 *     today)
 * @param conversations conversations started
 * @param uftClears ports whose flow table the appliers cleared (0 for the re-push baseline)
 * @param portSeconds running ports' time, summed: with {@code uftClears}, how often a port's table
 *     was cleared
 */
public record StaleFlows(
    double flowSeconds,
    double staleSeconds,
    double cachedSeconds,
    double staleWithoutClearingSeconds,
    double cachedWithoutClearingSeconds,
    long conversations,
    long uftClears,
    double portSeconds) {

  public static final StaleFlows NONE = new StaleFlows(0, 0, 0, 0, 0, 0, 0, 0);

  /** UFT clears per running port per minute. */
  public double clearsPerPortMinute() {
    return portSeconds <= 0 ? 0 : uftClears / (portSeconds / 60);
  }

  /**
   * The report's lines (none when nothing talked): the stale part, and unless {@code baseline} what
   * it would have been uncleared and how often flow tables were cleared.
   */
  public String describe(boolean baseline) {
    if (flowSeconds <= 0) {
      return "";
    }
    String line =
        String.format(
            Locale.ROOT,
            "stale flows: %s of %s flow-seconds (%,d conversations) went to a sled that no longer"
                + " hosted the peer; %s of it while the sled's V2P entry was already right",
            TextReport.seconds(staleSeconds),
            TextReport.seconds(flowSeconds),
            conversations,
            TextReport.seconds(cachedSeconds));
    if (baseline) {
      return line + " (opte#221: a flow keeps its encapsulation until it idles)\n";
    }
    return line
        + String.format(
            Locale.ROOT,
            "%n  without clearing flow tables: %s, %s of it while the entry was right%n  UFT"
                + " clears: %,d (%.1f per running port per minute)%n",
            TextReport.seconds(staleWithoutClearingSeconds),
            TextReport.seconds(cachedWithoutClearingSeconds),
            uftClears,
            clearsPerPortMinute());
  }
}
