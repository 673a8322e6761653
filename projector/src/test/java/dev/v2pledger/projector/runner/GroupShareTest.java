package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/**
 * What {@link GroupShare} reads from a description of the group, and when it asks (questions
 * answered by the test; {@code ReadinessIT} runs it against a broker).
 */
class GroupShareTest {
  static final String EVENTS = "v2p.events";
  static final long MS = 1_000_000L;

  private final List<KafkaFutureImpl<ConsumerGroupDescription>> questions = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000 * MS);

  private GroupShare share(String group) {
    return new GroupShare(
        () -> {
          KafkaFutureImpl<ConsumerGroupDescription> question = new KafkaFutureImpl<>();
          questions.add(question);
          return question;
        },
        group,
        EVENTS,
        now::get);
  }

  private KafkaFutureImpl<ConsumerGroupDescription> last() {
    return questions.get(questions.size() - 1);
  }

  static MemberDescription member(String id, Set<Integer> holding, Set<Integer> target) {
    return new MemberDescription(
        id,
        Optional.empty(),
        Optional.empty(),
        "client-" + id,
        "/127.0.0.1",
        assignment(holding),
        Optional.of(assignment(target)),
        Optional.of(7),
        Optional.of(true));
  }

  static MemberAssignment assignment(Set<Integer> partitions) {
    Set<TopicPartition> topicPartitions =
        partitions.stream().map(p -> new TopicPartition(EVENTS, p)).collect(Collectors.toSet());
    topicPartitions.add(new TopicPartition("another-topic", 0)); // not the events: ignored
    return new MemberAssignment(topicPartitions);
  }

  static ConsumerGroupDescription group(int epoch, int targetEpoch, MemberDescription... members) {
    return new ConsumerGroupDescription(
        "g",
        false,
        List.of(members),
        "uniform",
        GroupType.CONSUMER,
        GroupState.RECONCILING,
        new Node(1, "localhost", 9092),
        Set.of(),
        Optional.of(epoch),
        Optional.of(targetEpoch));
  }

  @Test
  void aNewMember_isGivenItsTargetsPartitionsOfTheEvents() {
    ConsumerGroupDescription description =
        group(
            7,
            7,
            member("old", Set.of(0, 1, 2, 3), Set.of(0, 1)),
            member("new", Set.of(), Set.of(2, 3)));
    assertThat(GroupShare.targetOf(description, "new", EVENTS)).containsExactly(2, 3);
    assertThat(GroupShare.targetOf(description, "old", EVENTS)).containsExactly(0, 1);
  }

  @Test
  void aStandby_hasAnEmptyTarget_notAnUnknownOne() {
    ConsumerGroupDescription description =
        group(3, 3, member("a", Set.of(0), Set.of(0)), member("standby", Set.of(), Set.of()));
    assertThat(GroupShare.targetOf(description, "standby", EVENTS)).isEmpty();
  }

  @Test
  void aTargetNotYetRecomputed_orAMemberNotListed_saysNothing() {
    ConsumerGroupDescription stale = group(8, 7, member("new", Set.of(), Set.of()));
    assertThat(GroupShare.targetOf(stale, "new", EVENTS)).as("group epoch ahead").isNull();
    ConsumerGroupDescription current = group(8, 8, member("other", Set.of(0), Set.of(0)));
    assertThat(GroupShare.targetOf(current, "new", EVENTS)).as("not listed").isNull();
  }

  @Test
  void missing_isTheTargetLessWhatIsHeldNow() {
    assertThat(GroupShare.missing(Set.of(2, 3), Set.of())).containsExactly(2, 3);
    assertThat(GroupShare.missing(Set.of(2, 3), Set.of(3, 4))).containsExactly(2);
    assertThat(GroupShare.missing(Set.of(2, 3), Set.of(2, 3))).isEmpty();
    assertThat(GroupShare.missing(Set.of(), Set.of())).isEmpty();
  }

  @Test
  void aNewMember_holdsItsShareOnceItHoldsItsTarget_andStaysSoWithoutAsking() {
    GroupShare share = share("g");
    assertThat(share.waitingFor(() -> "new", Set.of()))
        .isEqualTo("waiting for the group's assignment of its partitions");
    last().complete(group(7, 7, member("new", Set.of(), Set.of(2, 3))));
    assertThat(share.waitingFor(() -> "new", Set.of(2)))
        .isEqualTo("waiting for partitions [3] that the group assigns to it");
    assertThat(share.waitingFor(() -> "new", Set.of(2, 3))).isNull();
    now.addAndGet(60_000 * MS);
    assertThat(share.waitingFor(() -> "new", Set.of(2))).as("a later loss").isNull();
    assertThat(questions).hasSize(1);
  }

  @Test
  void asksAgainAfter200ms_doublingTo2s_untilTheAnswerSays() {
    GroupShare share = share("g");
    List<Long> askedAt = new ArrayList<>();
    for (long t = 0; t <= 8_000; t += 50) {
      now.set(1_000 * MS + t * MS);
      int before = questions.size();
      share.waitingFor(() -> "new", Set.of());
      if (questions.size() > before) {
        askedAt.add(t);
        last()
            .complete(group(8, 7, member("new", Set.of(), Set.of(0)))); // target not yet recomputed
      }
    }
    assertThat(askedAt).startsWith(0L, 200L, 600L, 1_400L, 3_000L, 5_000L, 7_000L);
  }

  @Test
  void aQuestionAskedBeforeTheMemberLostItsPartitions_isDroppedWhenItRejoins() {
    GroupShare share = share("g");
    share.waitingFor(() -> "m", Set.of(0));
    KafkaFutureImpl<ConsumerGroupDescription> before = last();
    share.rejoined();
    before.complete(group(7, 7, member("m", Set.of(), Set.of()))); // the standby it was

    assertThat(before).isCancelled();
    assertThat(share.waitingFor(() -> "m", Set.of()))
        .as("not held on the answer about the member that was")
        .isNotNull();
    assertThat(questions).as("asked anew at once").hasSize(2);
    last().complete(group(9, 9, member("m", Set.of(), Set.of(1))));
    assertThat(share.waitingFor(() -> "m", Set.of()))
        .isEqualTo("waiting for partitions [1] that the group assigns to it");
  }

  @Test
  void aFailedQuestion_isSaidAndAskedAgain() {
    GroupShare share = share("g");
    share.waitingFor(() -> "m", Set.of());
    last().completeExceptionally(new TimeoutException("no answer in 5 s"));
    now.addAndGet(200 * MS);
    assertThat(share.waitingFor(() -> "m", Set.of()))
        .contains("describing the group failed")
        .contains("no answer in 5 s");
    assertThat(questions).hasSize(2);
  }

  @Test
  void aGroupItMayNotDescribe_countsAsHeld() {
    GroupShare share = share("g-without-describe");
    share.waitingFor(() -> "m", Set.of());
    last().completeExceptionally(new GroupAuthorizationException("not authorized"));
    assertThat(share.waitingFor(() -> "m", Set.of())).isNull();
  }
}
