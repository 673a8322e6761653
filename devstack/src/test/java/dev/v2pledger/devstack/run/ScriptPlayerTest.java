package dev.v2pledger.devstack.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.devstack.sled.LocalSled;
import dev.v2pledger.devstack.sled.Sled;
import dev.v2pledger.devstack.workload.Generator;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.devstack.workload.Step.TruthChange;
import dev.v2pledger.devstack.workload.WorkloadConfig;
import dev.v2pledger.devstack.workload.WorkloadShape;
import dev.v2pledger.schema.domain.InstanceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Pacing, on a simulated clock that moves only when the player waits. */
class ScriptPlayerTest {
  static final List<SledSpec> SLEDS = SledSpec.rack(3);

  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final List<Long> publishedAt = new ArrayList<>();
  final ScriptPlayer player =
      new ScriptPlayer(Clock.systemUTC(), 100, now::get, wait -> now.addAndGet(wait));

  final ScriptPlayer.Target target =
      new ScriptPlayer.Target() {
        @Override
        public void publish(InstanceEvent event) {
          publishedAt.add(now.get());
        }

        @Override
        public void trigger(Sled sled) {}

        @Override
        public void truth(TruthChange change, Instant at) {}
      };

  static Script script(long seed) {
    return Generator.generate(WorkloadConfig.of(seed, 3, WorkloadShape.sized(4, 10, 0.2)), SLEDS);
  }

  @Test
  void eventsArePacedAtTheRate_andASecondPlayStartsAtOnce() throws Exception {
    List<LocalSled> sleds = new ArrayList<>();
    for (SledSpec spec : SLEDS) {
      sleds.add(LocalSled.deviceOnly(spec, Clock.systemUTC(), new SimpleMeterRegistry()));
    }
    Script warmup = script(1);
    Script measured = script(2);

    player.play(warmup, sleds, target);
    int first = publishedAt.size();
    long secondStarted = now.get();
    player.play(measured, sleds, target);

    assertThat(first).isEqualTo(warmup.events());
    assertThat(player.published()).isEqualTo(warmup.events() + measured.events());
    List<Long> second = publishedAt.subList(first, publishedAt.size());
    assertThat(second.get(0))
        .as("the second play's first event is not held back by the first play's count")
        .isEqualTo(secondStarted);
    long span = second.get(second.size() - 1) - second.get(0);
    assertThat(span)
        .as("%d events at 100/s", second.size())
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(10L * (second.size() - 1)));
  }
}
