package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What {@link GroupShare} reads from a description of the group ({@code ReadinessIT} runs it). */
class GroupShareTest {
  static final String EVENTS = "v2p.events";

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
}
