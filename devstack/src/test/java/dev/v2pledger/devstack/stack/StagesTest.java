package dev.v2pledger.devstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.runtime.stats.Percentiles;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stages' percentiles come from a histogram, whose buckets round a value up by up to a percent;
 * the max is exact. No percentile of the report may be above the max it is printed beside (a small
 * run printed "event logged -> polled 637.5 / 746.6 / 746.6 / 743.0").
 */
class StagesTest {
  @Test
  void noPercentileIsAboveTheMeasuredMax() {
    CompositeMeterRegistry composite = new CompositeMeterRegistry();
    composite.add(new SimpleMeterRegistry());
    Stages stages = Stages.open(composite);
    Timer polled =
        composite.timer("v2p.projector.latency", "stage", "polled", "runner", "devstack-0");
    // the histogram puts the largest in a bucket whose value is 678,953 us
    for (long nanos :
        new long[] {390_013_020, 101_260_994, 104_167_963, 165_021_708, 676_525_534, 325_233_665}) {
      polled.record(Duration.ofNanos(nanos));
    }

    List<Stages.Stage> closed = stages.close();

    assertThat(closed).extracting(Stages.Stage::key).containsExactly("projector.polled");
    Percentiles p = closed.get(0).micros();
    assertThat(p.count()).isEqualTo(6);
    assertThat(p.max()).isEqualTo(676_526);
    assertThat(List.of(p.p50(), p.p90(), p.p99()))
        .as("p50, p90, p99 beside max %d", p.max())
        .allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(p.max()));
  }
}
