package dev.v2pledger.devstack.run;

/**
 * What a test does while a run goes on: faults injected after some events (an applier restarted, a
 * projector killed), called on the workload's thread; checks and late mischief once every sled has
 * converged, before the report is made and the stack stopped.
 */
public interface RunHooks {
  RunHooks NONE = new RunHooks() {};

  /** After each published event of the measured workload. */
  default void afterEvent(long published, RunningStack stack) {}

  /** Once the run converged (or its deadline passed), before the report and the teardown. */
  default void afterConvergence(RunningStack stack) throws InterruptedException {}
}
