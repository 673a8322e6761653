package dev.v2pledger.projector.runner;

import java.util.Set;
import org.apache.kafka.common.KafkaException;

/**
 * The group, stable, has left partitions of the events topic with no member for a while: the
 * classic protocol's cooperative rebalance lost its second half (a static member that crashed
 * between the two, and came back within its session, is handed back its last assignment without a
 * rebalance, and the partition it was giving up goes to nobody). The runner answers by leaving the
 * group and joining again with new clients, which makes the group rebalance and place them.
 */
final class OrphanedPartitionsException extends KafkaException {
  private static final long serialVersionUID = 1L;

  OrphanedPartitionsException(String group, Set<Integer> partitions) {
    super("group " + group + " has left partitions " + partitions + " with no member");
  }
}
