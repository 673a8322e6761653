package dev.v2pledger.devstack.run;

import dev.v2pledger.devstack.sled.Sled;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.devstack.workload.Step;
import dev.v2pledger.devstack.workload.Step.CreatePort;
import dev.v2pledger.devstack.workload.Step.DestroyPort;
import dev.v2pledger.devstack.workload.Step.Publish;
import dev.v2pledger.devstack.workload.Step.Settle;
import dev.v2pledger.devstack.workload.Step.Trigger;
import dev.v2pledger.devstack.workload.Step.TruthChange;
import dev.v2pledger.schema.domain.InstanceEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Plays a script's steps in order on one thread: ports are created and destroyed on the sleds
 * (XDE's side effects), and the mode decides what events, triggers and truth changes do. Events are
 * paced at {@code rate} per second (0: as fast as possible); each is stamped with the time it is
 * published.
 */
final class ScriptPlayer {

  /** What a mode does with the steps that are not port operations. */
  interface Target {
    void publish(InstanceEvent event);

    void trigger(Sled sled);

    void truth(TruthChange change, Instant at);

    /** Waits until what was published is applied everywhere (scripted races); may do nothing. */
    default void settle() throws InterruptedException {}

    /** Called after each published event, for progress and for tests' faults. */
    default void afterEvent(long published) {}
  }

  private final Clock clock;
  private final double rate;
  private final AtomicLong published = new AtomicLong();

  private final LongSupplier nanoTime;
  private final LongConsumer park;

  ScriptPlayer(Clock clock, double rate) {
    this(clock, rate, System::nanoTime, LockSupport::parkNanos);
  }

  /** A player reading {@code nanoTime} and waiting with {@code park}; for tests. */
  ScriptPlayer(Clock clock, double rate, LongSupplier nanoTime, LongConsumer park) {
    this.clock = clock;
    this.rate = rate;
    this.nanoTime = nanoTime;
    this.park = park;
  }

  long published() {
    return published.get();
  }

  /** Plays every step; returns the instants of the first and last step. */
  Instant[] play(Script script, List<? extends Sled> sleds, Target target)
      throws InterruptedException {
    long start = nanoTime.getAsLong();
    // the count goes on from an earlier play (the warm-up); pace this one from its own first event
    long before = published.get();
    Instant first = clock.instant();
    for (Step step : script.steps()) {
      if (step instanceof Publish publish) {
        pace(start, published.get() - before);
        InstanceEvent event = publish.event();
        target.publish(event.withOccurredAt(clock.instant()));
        target.afterEvent(published.incrementAndGet());
      } else if (step instanceof CreatePort create) {
        sleds.get(create.sled()).createPort(create.vip().vni(), create.vip().ip(), create.mac());
      } else if (step instanceof DestroyPort destroy) {
        sleds.get(destroy.sled()).destroyPort(destroy.vip().vni(), destroy.vip().ip());
      } else if (step instanceof Trigger trigger) {
        target.trigger(sleds.get(trigger.sled()));
      } else if (step instanceof TruthChange change) {
        target.truth(change, clock.instant());
      } else if (step instanceof Settle) {
        target.settle();
      } else {
        throw new IllegalStateException("unknown step " + step);
      }
    }
    return new Instant[] {first, clock.instant()};
  }

  private void pace(long start, long index) {
    if (rate <= 0) {
      return;
    }
    long due = start + (long) (index * 1e9 / rate);
    long wait;
    while ((wait = due - nanoTime.getAsLong()) > 0) {
      park.accept(wait);
    }
  }
}
