package dev.v2pledger.projector.runner;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a new member holds its share of the partitions yet. The consumer group protocol first
 * answers a new member with what is free, often nothing, while the members that hold its share
 * revoke it; holding nothing is also what a standby does. The group's target assignment tells the
 * two apart: this member holds its share once it holds every partition the target gives it (none
 * for a standby). Asked with {@code DescribeConsumerGroups} every {@link #ASK_EVERY_NANOS} until
 * then, without blocking the runner's loop; once it held its share, never again in this session (a
 * partition it gains later, from a member that left, does not make it less ready). A group it may
 * not describe makes it stop asking and count as holding its share, as before this check.
 */
final class GroupShare {
  private static final Logger LOG = LoggerFactory.getLogger(GroupShare.class);
  static final long ASK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private final Admin admin;
  private final String group;
  private final String topic;
  private final LongSupplier nanoTime;
  private @Nullable KafkaFuture<ConsumerGroupDescription> pending;
  private long nextAsk;
  private boolean held;
  private @Nullable Set<Integer> missing;

  GroupShare(Admin admin, String group, String topic, LongSupplier nanoTime) {
    this.admin = admin;
    this.group = group;
    this.topic = topic;
    this.nanoTime = nanoTime;
    this.nextAsk = nanoTime.getAsLong();
  }

  /**
   * Why this member, holding {@code holding}, does not hold its share yet, or null once it has.
   * Never blocks: it reads the answer to an earlier question and asks again when due.
   */
  @Nullable String waitingFor(Supplier<String> memberId, Set<Integer> holding) {
    if (held) {
      return null;
    }
    KafkaFuture<ConsumerGroupDescription> answer = pending;
    if (answer != null && answer.isDone()) {
      pending = null;
      read(answer, memberId.get());
    }
    if (missing != null) {
      missing.removeAll(holding);
      if (missing.isEmpty()) {
        held = true;
        return null;
      }
    }
    long now = nanoTime.getAsLong();
    if (!held && pending == null && now - nextAsk >= 0) {
      nextAsk = now + ASK_EVERY_NANOS;
      pending =
          admin
              .describeConsumerGroups(
                  List.of(group), new DescribeConsumerGroupsOptions().timeoutMs(5_000))
              .describedGroups()
              .get(group);
    }
    if (held) {
      return null;
    }
    return missing == null
        ? "waiting for the group's assignment of its partitions"
        : "waiting for partitions " + missing + " that the group assigns to it";
  }

  private void read(KafkaFuture<ConsumerGroupDescription> answer, String memberId) {
    ConsumerGroupDescription description;
    try {
      description = answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        LOG.warn(
            "cannot describe group {} ({}): /readyz does not wait for a new member's partitions",
            group,
            e.getCause().getMessage());
        held = true;
      } else {
        LOG.debug("describing group {} failed; asking again", group, e.getCause());
      }
      return;
    }
    if (description.groupEpoch().isPresent()
        && !description.groupEpoch().equals(description.targetAssignmentEpoch())) {
      return; // the target does not count the latest change of members yet
    }
    for (MemberDescription member : description.members()) {
      if (member.consumerId().equals(memberId) && member.targetAssignment().isPresent()) {
        Set<Integer> target = new TreeSet<>();
        for (TopicPartition partition : member.targetAssignment().get().topicPartitions()) {
          if (partition.topic().equals(topic)) {
            target.add(partition.partition());
          }
        }
        missing = target;
        return;
      }
    }
  }
}
