package dev.v2pledger.devstack.report;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Exposure: for every sled and VIP, the time during which the sled's entry disagreed with where the
 * VIP really was (present when it should be absent, absent when it should be present, or pointing
 * elsewhere), summed over all (sled, VIP) pairs in a window, in sled-key-seconds; plus the worst
 * single gap. Computed from each simulated device's mutation log (from its start, so the state at
 * any instant is known) and the ground truth's timeline. Each gap is attributed to what opened it.
 */
public final class Exposure {
  private Exposure() {}

  /** What made a sled's entry disagree with the truth. */
  public enum Cause {
    /** The truth changed and the sled had not caught up yet. */
    PROPAGATION,
    /** XDE's side effect of creating or destroying a port. */
    PORT_SIDE_EFFECT,
    /** The control plane wrote it (an applier, or the re-push task): a wrong or lost entry. */
    CONTROL_WRITE,
    /** Already wrong when the window opened. */
    BEFORE_WINDOW
  }

  /** One maximal interval of disagreement of one (sled, VIP), clipped to the window. */
  public record Gap(SledId sled, Vip vip, Instant from, Instant to, Cause cause) {
    public Duration length() {
      return Duration.between(from, to);
    }
  }

  /** Sum and count of the gaps of one cause. */
  public record Share(double sledKeySeconds, long gaps) {}

  /**
   * @param sledKeySeconds the total of every gap's length
   * @param worst the longest gap, or null when there is none
   * @param openAtEnd gaps still open when the window closed
   */
  public record Result(
      double sledKeySeconds,
      long gaps,
      @Nullable Gap worst,
      Map<Cause, Share> byCause,
      long openAtEnd,
      Duration window) {
    public static final Result NONE = new Result(0, 0, null, Map.of(), 0, Duration.ZERO);
  }

  private record Event(Instant at, int order, @Nullable XdeMapping value, Cause cause) {}

  /**
   * @param logs each sled's full mutation log, oldest first
   * @param truth the ground truth's timeline
   * @param from the window's start (the workload's start)
   * @param to the window's end
   * @param excluded VNIs not compared (the services VNI)
   */
  public static Result compute(
      Map<SledId, List<Mutation>> logs,
      TruthTimeline truth,
      Instant from,
      Instant to,
      Set<Vni> excluded) {
    Map<Vip, List<Event>> truthByVip = new HashMap<>();
    truth
        .initial()
        .forEach((vip, entry) -> truthByVip.computeIfAbsent(vip, v -> new ArrayList<>()));
    int order = 0;
    for (TruthTimeline.Change change : truth.changes()) {
      truthByVip
          .computeIfAbsent(change.vip(), v -> new ArrayList<>())
          .add(new Event(change.at(), order++, change.expected(), Cause.PROPAGATION));
    }
    Accumulator total = new Accumulator(from, to);
    for (Map.Entry<SledId, List<Mutation>> sled : logs.entrySet()) {
      Map<Vip, List<Event>> actual = new HashMap<>();
      for (Mutation m : sled.getValue()) {
        Cause cause = m.op().byApplier() ? Cause.CONTROL_WRITE : Cause.PORT_SIDE_EFFECT;
        actual
            .computeIfAbsent(m.vip(), v -> new ArrayList<>())
            .add(new Event(m.at(), (int) m.sequence(), m.after(), cause));
      }
      Set<Vip> vips = new HashSet<>(truthByVip.keySet());
      vips.addAll(actual.keySet());
      for (Vip vip : vips) {
        if (excluded.contains(vip.vni())) {
          continue;
        }
        walk(
            sled.getKey(),
            vip,
            truth.initial().get(vip),
            truthByVip.getOrDefault(vip, List.of()),
            actual.getOrDefault(vip, List.of()),
            total);
      }
    }
    return total.result(Duration.between(from, to));
  }

  /** Merges one (sled, VIP)'s truth and device changes in time order, truth first at a tie. */
  private static void walk(
      SledId sled,
      Vip vip,
      @Nullable XdeMapping initialTruth,
      List<Event> truthEvents,
      List<Event> deviceEvents,
      Accumulator total) {
    List<Event> merged = new ArrayList<>(truthEvents.size() + deviceEvents.size());
    merged.addAll(truthEvents);
    merged.addAll(deviceEvents);
    merged.sort(
        Comparator.comparing(Event::at)
            .thenComparing(e -> e.cause() == Cause.PROPAGATION ? 0 : 1)
            .thenComparingInt(Event::order));
    XdeMapping expected = initialTruth;
    XdeMapping held = null; // a device starts empty
    Instant openedAt = null;
    Cause openedBy = null;
    if (!same(held, expected)) { // the cluster held it before the device started: wrong from then
      openedAt = Instant.MIN;
      openedBy = Cause.BEFORE_WINDOW;
    }
    for (Event event : merged) {
      if (event.cause() == Cause.PROPAGATION) {
        expected = event.value();
      } else {
        held = event.value();
      }
      boolean wrong = !same(held, expected);
      if (wrong && openedAt == null) {
        openedAt = event.at();
        openedBy = event.cause();
      } else if (!wrong && openedAt != null) {
        total.add(sled, vip, openedAt, event.at(), Objects.requireNonNull(openedBy), false);
        openedAt = null;
      }
    }
    if (openedAt != null) {
      total.add(sled, vip, openedAt, null, Objects.requireNonNull(openedBy), true);
    }
  }

  /** Whether the sled's entry sends traffic where the truth says (both absent counts). */
  public static boolean same(@Nullable XdeMapping held, @Nullable XdeMapping expected) {
    if (held == null || expected == null) {
      return held == expected;
    }
    return held.samePhys(expected);
  }

  /** Gaps clipped to the window, summed. */
  private static final class Accumulator {
    private final Instant from;
    private final Instant to;
    private final EnumMap<Cause, double[]> byCause = new EnumMap<>(Cause.class);
    private double seconds;
    private long gaps;
    private long open;
    private @Nullable Gap worst;

    Accumulator(Instant from, Instant to) {
      this.from = from;
      this.to = to;
    }

    void add(
        SledId sled, Vip vip, Instant start, @Nullable Instant end, Cause cause, boolean atEnd) {
      Instant clippedEnd = end == null || end.isAfter(to) ? to : end;
      Instant clippedStart = start.isBefore(from) ? from : start;
      if (!clippedEnd.isAfter(clippedStart)) {
        return;
      }
      Cause why = start.isBefore(from) ? Cause.BEFORE_WINDOW : cause;
      Gap gap = new Gap(sled, vip, clippedStart, clippedEnd, why);
      double length = gap.length().toNanos() / 1e9;
      seconds += length;
      gaps++;
      if (atEnd || (end != null && end.isAfter(to))) {
        open++;
      }
      double[] share = byCause.computeIfAbsent(why, c -> new double[2]);
      share[0] += length;
      share[1]++;
      if (worst == null || gap.length().compareTo(worst.length()) > 0) {
        worst = gap;
      }
    }

    Result result(Duration window) {
      Map<Cause, Share> shares = new EnumMap<>(Cause.class);
      byCause.forEach((cause, share) -> shares.put(cause, new Share(share[0], (long) share[1])));
      return new Result(seconds, gaps, worst, shares, open, window);
    }
  }
}
