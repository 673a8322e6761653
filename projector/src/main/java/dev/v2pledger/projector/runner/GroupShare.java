package dev.v2pledger.projector.runner;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
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
 * for a standby). Asked with {@code DescribeConsumerGroups} from the runner's thread without
 * waiting for the answer (read at a later step), every 200 ms at first, doubling to 2 s, until
 * then; not again until the member joins anew ({@link #rejoined}): a partition it gains later, from
 * a member that left, does not make it less ready. A group it may not describe makes it stop asking
 * and count as holding its share (warned once per group and process).
 */
final class GroupShare implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupShare.class);
  static final long FIRST_ASK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  static final long LAST_ASK_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private final Supplier<KafkaFuture<ConsumerGroupDescription>> describe;
  private final String group;
  private final String topic;
  private final LongSupplier nanoTime;
  private @Nullable KafkaFuture<ConsumerGroupDescription> pending;
  private long nextAsk;
  private long askEvery = FIRST_ASK_NANOS;
  private boolean held;
  private @Nullable Set<Integer> target;
  private @Nullable String lastError;

  /** Asks {@code admin} about {@code group}, each question given up after 5 s. */
  static GroupShare of(Admin admin, String group, String topic, LongSupplier nanoTime) {
    DescribeConsumerGroupsOptions options = new DescribeConsumerGroupsOptions().timeoutMs(5_000);
    return new GroupShare(
        () -> admin.describeConsumerGroups(List.of(group), options).describedGroups().get(group),
        group,
        topic,
        nanoTime);
  }

  GroupShare(
      Supplier<KafkaFuture<ConsumerGroupDescription>> describe,
      String group,
      String topic,
      LongSupplier nanoTime) {
    this.describe = describe;
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
    Set<Integer> missing = target == null ? null : missing(target, holding);
    if (held || (missing != null && missing.isEmpty())) {
      held = true;
      return null;
    }
    long now = nanoTime.getAsLong();
    if (pending == null && now - nextAsk >= 0) {
      nextAsk = now + askEvery;
      askEvery = Math.min(askEvery * 2, LAST_ASK_NANOS);
      pending = describe.get();
    }
    if (missing != null) {
      return "waiting for partitions " + missing + " that the group assigns to it";
    }
    return "waiting for the group's assignment of its partitions"
        + (lastError == null ? "" : " (describing the group failed: " + lastError + ")");
  }

  /**
   * The member lost its partitions and joins again: its first answer is again what is free. A
   * question asked before is dropped: its answer describes the member that was.
   */
  void rejoined() {
    close();
    held = false;
    target = null;
    lastError = null;
    askEvery = FIRST_ASK_NANOS;
    nextAsk = nanoTime.getAsLong();
  }

  /** Drops a question still in flight, so closing the admin client does not wait for it. */
  @Override
  public void close() {
    KafkaFuture<ConsumerGroupDescription> answer = pending;
    if (answer != null) {
      answer.cancel(true);
      pending = null;
    }
  }

  private void read(KafkaFuture<ConsumerGroupDescription> answer, String memberId) {
    try {
      Set<Integer> read = targetOf(answer.get(), memberId, topic);
      if (read != null) {
        target = read;
      }
      lastError = null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException) {
        if (WARNED.add(group)) {
          LOG.warn(
              "cannot describe group {} ({}): /readyz does not wait for a new member's partitions",
              group,
              e.getCause().getMessage());
        }
        held = true;
      } else {
        lastError = String.valueOf(e.getCause());
        LOG.debug("describing group {} failed; asking again", group, e.getCause());
      }
    } catch (CancellationException e) {
      // closed meanwhile
    }
  }

  /**
   * The partitions of {@code topic} that the group's target assignment gives member {@code
   * memberId}; null when the description cannot say yet (the target does not count the latest
   * change of members, or the member is not listed).
   */
  static @Nullable Set<Integer> targetOf(
      ConsumerGroupDescription description, String memberId, String topic) {
    if (description.groupEpoch().isPresent()
        && !description.groupEpoch().equals(description.targetAssignmentEpoch())) {
      return null;
    }
    for (MemberDescription member : description.members()) {
      if (member.consumerId().equals(memberId) && member.targetAssignment().isPresent()) {
        Set<Integer> partitions = new TreeSet<>();
        for (TopicPartition partition : member.targetAssignment().get().topicPartitions()) {
          if (partition.topic().equals(topic)) {
            partitions.add(partition.partition());
          }
        }
        return partitions;
      }
    }
    return null;
  }

  /** What of {@code target} the member does not hold now. */
  static Set<Integer> missing(Set<Integer> target, Set<Integer> holding) {
    Set<Integer> missing = new TreeSet<>(target);
    missing.removeAll(holding);
    return missing;
  }
}
