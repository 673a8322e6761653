package dev.v2pledger.projector.topics;

/**
 * {@code v2p.events} and {@code v2p.instance-state} exist with different partition counts. The
 * changelog partition {@code p} holds the state of the instances whose events are in partition
 * {@code p}, so the projector cannot run, and {@code init-topics} cannot repair it without losing
 * state: a person must decide.
 */
public final class TopicsNotCoPartitionedException extends IllegalStateException {
  public TopicsNotCoPartitionedException(
      String events, int eventPartitions, String state, int statePartitions) {
    super(
        events
            + " has "
            + eventPartitions
            + " partitions but "
            + state
            + " has "
            + statePartitions
            + ": they must have the same count (the state of partition p lives in partition p);"
            + " refusing to go on");
  }
}
