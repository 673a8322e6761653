package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.projector.topics.TopicSetup;
import dev.v2pledger.projector.topics.TopicsNotCoPartitionedException;
import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.domain.InstanceId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * DESIGN "Partitions and topology", checked where a runner can see a breach: when its clients open
 * (our topics exist, the changelog is co-partitioned with the events), on every assignment (no
 * partition beyond the count the events topic had), and after every restore (each state sits in the
 * partition its key hashes to). A breach is fatal: folding on would split an instance.
 */
final class TopologyGuard {
  private final ProjectorConfig config;
  private final EventProcessor processor;

  TopologyGuard(ProjectorConfig config, EventProcessor processor) {
    this.config = config;
    this.processor = processor;
  }

  /**
   * Our topics must exist, the changelog must be co-partitioned with the events, and the events
   * topic must have the count it had when this runner first opened its clients: a session rebuilt
   * later (after fencing, say) must not take a grown topic's count as its own.
   */
  void checkTopics(Admin admin) {
    ProjectorTopics topics = config.topics();
    Map<String, Integer> counts =
        TopicSetup.partitions(admin, topics.used(), config.kafkaTimeout());
    List<String> missing = topics.used().stream().filter(t -> !counts.containsKey(t)).toList();
    if (!missing.isEmpty()) {
      throw new ProjectorFatalException(
          "topic(s) " + String.join(", ", missing) + " do not exist: run 'projector init-topics'");
    }
    int events = counts.get(topics.events());
    int state = counts.get(topics.instanceState());
    if (events != state) {
      throw new ProjectorFatalException(
          new TopicsNotCoPartitionedException(
                  topics.events(), events, topics.instanceState(), state)
              .getMessage());
    }
    int started = processor.eventPartitions();
    if (started > 0 && events != started) {
      throw grew(
          topics.events()
              + " has "
              + events
              + " partitions, "
              + started
              + " when this"
              + " projector started");
    }
    processor.eventPartitions(events);
  }

  /**
   * A partition beyond the count the events topic had when this session opened means it grew while
   * projectors ran: an instance's key now hashes elsewhere, its events would split across
   * partitions and its changelog state would be in the wrong one. Refused (DESIGN "Topology").
   */
  void refuseGrowth(Collection<Integer> assigned) {
    int known = processor.eventPartitions();
    for (int partition : assigned) {
      if (known > 0 && partition >= known) {
        throw grew(
            config.topics().events()
                + " grew while projectors ran (partition "
                + partition
                + " is new; it had "
                + known
                + ")");
      }
    }
  }

  /** The refusal of a grown events topic, after {@code what} says how it was seen. */
  private static ProjectorFatalException grew(String what) {
    return new ProjectorFatalException(
        what
            + ": its keys now hash to other partitions, so an instance's events would split and its"
            + " state would sit in the wrong changelog partition; refused. Growing it means a new"
            + " topic set and a replay (projector README, \"Topology\")");
  }

  /**
   * Every restored state must sit in the partition its instance's key hashes to: one that does not
   * means both topics were grown (or the changelog was written by another partitioner), and folding
   * on would start its instance from nothing in another partition.
   */
  void refuseMisplaced(StateRestorer.Restored restored) {
    int partitions = processor.eventPartitions();
    if (partitions <= 0) {
      return;
    }
    restored
        .states()
        .forEach(
            (partition, states) -> {
              for (InstanceId id : states.keySet()) {
                int home = Partitioning.partitionOf(id.toString(), partitions);
                if (home != partition) {
                  throw new ProjectorFatalException(
                      config.topics().instanceState()
                          + " holds instance "
                          + id
                          + " in partition "
                          + partition
                          + " but its key hashes to "
                          + home
                          + " of "
                          + partitions
                          + ": the topics were grown or written with another partitioner; refused"
                          + " (projector README, \"Topology\")");
                }
              }
            });
  }
}
