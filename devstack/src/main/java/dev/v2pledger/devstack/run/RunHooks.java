package dev.v2pledger.devstack.run;

import dev.v2pledger.devstack.stack.KafkaStack;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;

/**
 * What a test does while a run goes on: faults injected after some events (an applier restarted, a
 * projector killed), called on the workload's thread; checks and late mischief once every sled has
 * converged, before the report is made and the stack stopped.
 */
public interface RunHooks {
  RunHooks NONE = new RunHooks() {};

  /**
   * Starts one of the run's local projectors: {@link Projector#start}; a fault test starts them on
   * Kafka clients it can crash (the projector's test jar, {@code Crashable}), since a projector has
   * no way to be killed of its own.
   */
  default Projector startProjector(ProjectorConfig config) {
    return Projector.start(config);
  }

  /** What to do after each published event. */
  @FunctionalInterface
  interface AfterEvent {
    void afterEvent(long published, RunningStack stack);
  }

  /** Hooks that only act after events. */
  static RunHooks afterEvents(AfterEvent action) {
    return new RunHooks() {
      @Override
      public void afterEvent(long published, RunningStack stack) {
        action.afterEvent(published, stack);
      }
    };
  }

  /** After each published event of the measured workload. */
  default void afterEvent(long published, RunningStack stack) {}

  /** Once the run converged (or its deadline passed), before the report and the teardown. */
  default void afterConvergence(RunningStack stack) throws InterruptedException {}

  /**
   * Once the report is made, before the stack stops: the sleds have stopped, its Kafka (and the
   * run's topics) and projectors are still up ({@code run --stay} waits here).
   */
  default void beforeTeardown(LedgerRun.Outcome outcome, KafkaStack kafka)
      throws InterruptedException {}
}
