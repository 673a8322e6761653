package dev.v2pledger.projector.runner;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workaround for partitions a classic static group leaves with no owner (projector README,
 * "Known issues"; {@link OrphanedPartitionsException}): every {@link #LOOK} a session looks at its
 * group between transactions, and {@link Orphans} decides from the looks. Kept apart so that moving
 * to the consumer group protocol (KIP-848), where the broker assigns, deletes it whole.
 */
final class OrphanWatch {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanWatch.class);

  /** How often the group's assignment is looked at for partitions no member holds. */
  static final Duration LOOK = Duration.ofSeconds(5);

  /** A look never holds the poll loop longer than this (a slow broker: the next look decides). */
  static final Duration LOOK_TIMEOUT = Duration.ofSeconds(2);

  /** How long partitions must stay with nobody in a stable group before the group is shaken. */
  static final Duration BOUND = Duration.ofSeconds(15);

  private final ProjectorConfig config;
  private final KafkaClients clients;
  private final Orphans orphans = new Orphans(BOUND.toNanos());
  private long nextLook;

  OrphanWatch(ProjectorConfig config, KafkaClients clients) {
    this.config = config;
    this.clients = clients;
  }

  /**
   * Looks at the group if it is time to; throws {@link OrphanedPartitionsException} to shake it.
   */
  void maybeLook(long now) {
    if (now >= nextLook) {
      nextLook = now + LOOK.toNanos();
      look(now);
    }
  }

  /**
   * Whether the group, stable, has left partitions of the events topic with no member (see {@link
   * OrphanedPartitionsException}); the member with the first member id says so, once they have
   * stayed orphans for {@link #BOUND}. A failed look is skipped: the next one decides.
   */
  private void look(long now) {
    String group = config.groupId();
    ConsumerGroupDescription description;
    int partitions;
    try {
      description =
          clients
              .admin
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(LOOK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      partitions = clients.consumer.partitionsFor(config.topics().events()).size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    } catch (Exception e) {
      LOG.debug("{}: could not describe group {}: {}", config.instanceId(), group, e.toString());
      return;
    }
    Set<Integer> unowned = new TreeSet<>();
    for (int p = 0; p < partitions; p++) {
      unowned.add(p);
    }
    String first = null;
    for (MemberDescription member : description.members()) {
      for (TopicPartition tp : member.assignment().topicPartitions()) {
        if (tp.topic().equals(config.topics().events())) {
          unowned.remove(tp.partition());
        }
      }
      if (first == null || member.consumerId().compareTo(first) < 0) {
        first = member.consumerId();
      }
    }
    Set<Integer> orphaned =
        orphans.observe(description.groupState() == GroupState.STABLE, unowned, now);
    if (!orphaned.isEmpty() && clients.consumer.groupMetadata().memberId().equals(first)) {
      throw new OrphanedPartitionsException(group, orphaned);
    }
  }
}
