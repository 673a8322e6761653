package dev.v2pledger.runtime.stats;

import dev.v2pledger.runtime.kafka.AckIndex;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.schema.domain.SledId;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Latencies from each event's log time, in milliseconds: to {@code v2p.mappings}, to each sled, to
 * all sleds (the last sled's watermark covering the record; {@code notYetEverywhere} records were
 * not covered on every sled). A sled whose covering ack {@code v2p.acks} no longer holds ({@link
 * AckIndex#lost}) gives no sample: {@code acksLost} counts those (record, sled) pairs, and a record
 * with one is left out of {@code allSleds}; it counts as not yet everywhere only if another sled
 * has not covered it.
 */
public record Latencies(
    Percentiles projected,
    Map<SledId, Percentiles> perSled,
    Percentiles allSleds,
    long notYetEverywhere,
    long acksLost) {

  /** Every record of the topic, on every sled that acked. */
  public static Latencies of(ProjectedTopic topic, AckIndex acks) {
    return of(topic.all(), acks, acks.sleds());
  }

  /**
   * The same figures for some records only (e.g. those written during one run of a shared cluster),
   * applied on some sleds only (e.g. the sleds of that run).
   */
  public static Latencies of(
      List<ProjectedTopic.Arrival> records, AckIndex acks, Collection<SledId> onSleds) {
    int n = records.size();
    long[] projected = new long[n];
    long[] everywhere = new long[n];
    int complete = 0;
    long notEverywhere = 0;
    long lost = 0;
    Map<SledId, long[]> perSled = new TreeMap<>(Comparator.comparing(SledId::toString));
    Map<SledId, Integer> perSledCount = new HashMap<>();
    for (SledId sled : onSleds) {
      perSled.put(sled, new long[n]);
      perSledCount.put(sled, 0);
    }
    for (int i = 0; i < n; i++) {
      ProjectedTopic.Arrival arrival = records.get(i);
      projected[i] = millis(arrival.eventTime(), arrival.written());
      long worst = Long.MIN_VALUE; // every sled covered it when it is used: set by one of them
      boolean all = !perSled.isEmpty();
      boolean known = true;
      for (SledId sled : perSled.keySet()) {
        if (acks.lost(sled, arrival.partition(), arrival.offset())) {
          lost++;
          known = false;
          continue;
        }
        Instant at = acks.covered(sled, arrival.partition(), arrival.offset());
        if (at == null) {
          all = false;
          continue;
        }
        long latency = millis(arrival.eventTime(), at);
        int count = perSledCount.get(sled);
        perSled.get(sled)[count] = latency;
        perSledCount.put(sled, count + 1);
        worst = Math.max(worst, latency);
      }
      if (!all) { // a sled that has not covered it: not everywhere, whatever the others' times
        notEverywhere++;
      } else if (known) {
        everywhere[complete++] = worst;
      }
    }
    Map<SledId, Percentiles> sleds = new TreeMap<>(Comparator.comparing(SledId::toString));
    perSled.forEach(
        (sled, values) ->
            sleds.put(sled, Percentiles.of(Arrays.copyOf(values, perSledCount.get(sled)))));
    return new Latencies(
        Percentiles.of(projected),
        sleds,
        Percentiles.of(Arrays.copyOf(everywhere, complete)),
        notEverywhere,
        lost);
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }
}
