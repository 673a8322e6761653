package dev.v2pledger.devstack.stack;

import dev.v2pledger.runtime.stats.Percentiles;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The per-stage latency meters of the local projectors and appliers ({@code v2p.projector.latency},
 * {@code v2p.projector.commit.step}, {@code v2p.applier.latency}) over the measured window only,
 * every runner and sled together: a registry added to the run's composite when the window opens (so
 * it sees nothing of the warm-up) and read when it closes.
 */
public final class Stages {
  private static final Set<String> NAMES =
      Set.of("v2p.projector.latency", "v2p.projector.commit.step", "v2p.applier.latency");

  /**
   * One stage.
   *
   * @param key short name ({@code projector.polled}, {@code commit.offsets}, {@code
   *     applier.visible}, ...)
   * @param label what it spans, for people
   * @param micros its percentiles, in microseconds
   */
  public record Stage(String key, String label, Percentiles micros) {}

  /** Meter, tag and the stage's key and label, in the order of a record's way. */
  private static final List<String[]> STAGES =
      List.of(
          new String[] {
            "v2p.projector.latency", "stage", "polled", "projector.polled", "event logged -> polled"
          },
          new String[] {
            "v2p.projector.latency", "stage", "sent", "projector.sent", "polled -> records sent"
          },
          new String[] {
            "v2p.projector.latency",
            "stage",
            "committed",
            "projector.committed",
            "records sent -> committed"
          },
          new String[] {
            "v2p.projector.commit.step",
            "step",
            "states",
            "commit.states",
            "  commit, per transaction: states sent"
          },
          new String[] {
            "v2p.projector.commit.step",
            "step",
            "offsets",
            "commit.offsets",
            "  sendOffsetsToTransaction"
          },
          new String[] {
            "v2p.projector.commit.step", "step", "end", "commit.end", "  commitTransaction"
          },
          new String[] {
            "v2p.applier.latency",
            "stage",
            "visible",
            "applier.visible",
            "records sent -> polled on a sled"
          },
          new String[] {
            "v2p.applier.latency", "stage", "applied", "applier.applied", "polled -> applied"
          },
          new String[] {
            "v2p.applier.latency", "stage", "acked", "applier.acked", "polled -> ack sent"
          });

  private final CompositeMeterRegistry composite;
  private final SimpleMeterRegistry window = new SimpleMeterRegistry();

  private Stages(CompositeMeterRegistry composite) {
    this.composite = composite;
    window
        .config()
        .meterFilter(MeterFilter.denyUnless(id -> NAMES.contains(id.getName())))
        .meterFilter(MeterFilter.ignoreTags("runner", "sled"))
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                return DistributionStatisticConfig.builder()
                    .percentiles(0.5, 0.9, 0.99)
                    .percentilePrecision(2)
                    .expiry(Duration.ofDays(1))
                    .bufferLength(1)
                    .build()
                    .merge(config);
              }
            });
  }

  /** Starts counting from now. */
  public static Stages open(CompositeMeterRegistry composite) {
    Stages stages = new Stages(composite);
    composite.add(stages.window);
    return stages;
  }

  /** Stops counting; the stages seen, in the order of a record's way (projector, then sleds). */
  public List<Stage> close() {
    composite.remove(window);
    List<Stage> out = new ArrayList<>();
    for (String[] stage : STAGES) {
      Timer timer = window.find(stage[0]).tag(stage[1], stage[2]).timer();
      if (timer != null && timer.count() > 0) {
        out.add(new Stage(stage[3], stage[4], percentiles(timer)));
      }
    }
    return out;
  }

  /**
   * The timer's percentiles and max. The percentiles come from histogram buckets, which round a
   * value up by up to a percent (precision 2); the max is exact. A percentile is never above the
   * max, so each is capped at it: the report must not print a p99 above the max beside it.
   */
  private static Percentiles percentiles(Timer timer) {
    HistogramSnapshot snapshot = timer.takeSnapshot();
    long max = Math.round(timer.max(TimeUnit.MICROSECONDS));
    long[] p = new long[3];
    for (ValueAtPercentile value : snapshot.percentileValues()) {
      int i = value.percentile() < 0.6 ? 0 : value.percentile() < 0.95 ? 1 : 2;
      p[i] = Math.min(max, Math.round(value.value(TimeUnit.MICROSECONDS)));
    }
    return new Percentiles(snapshot.count(), p[0], p[1], p[2], max);
  }
}
