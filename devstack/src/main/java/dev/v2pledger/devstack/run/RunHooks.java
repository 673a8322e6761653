package dev.v2pledger.devstack.run;

/**
 * Faults a test injects while the workload runs (an applier restarted, a projector killed), called
 * on the workload's thread after each published event.
 */
@FunctionalInterface
public interface RunHooks {
  RunHooks NONE = (published, stack) -> {};

  void afterEvent(long published, RunningStack stack);
}
