package dev.v2pledger.projector.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSetupTest {
  private final ProjectorTopics names = ProjectorTopics.DEFAULT;

  @Test
  void wantsEveryTopicWithTheConfigsOfTheDesign() {
    List<TopicSetup.WantedTopic> wanted =
        TopicSetup.wanted(names, new TopicPlan(6, (short) 3, 2, Duration.ofDays(7)), Map.of());

    assertThat(wanted)
        .extracting(TopicSetup.WantedTopic::name)
        .containsExactly(
            "v2p.events",
            "v2p.events.dlq",
            "v2p.mappings",
            "v2p.instance-state",
            "v2p.acks",
            "v2p.schemas");
    assertThat(wanted.subList(0, 5)).allMatch(t -> t.partitions() == 6);
    assertThat(wanted.get(5).partitions()).isEqualTo(1);
    assertThat(wanted.get(5).configs()).containsEntry("cleanup.policy", "compact");
    assertThat(wanted).allMatch(t -> "2".equals(t.configs().get("min.insync.replicas")));
    assertThat(wanted.get(0).configs())
        .containsEntry("retention.ms", "-1")
        .containsEntry("message.timestamp.type", "LogAppendTime");
    assertThat(wanted.get(1).configs()).containsEntry("retention.ms", "-1");
    assertThat(wanted.get(2).configs()).containsEntry("cleanup.policy", "compact");
    assertThat(wanted.get(3).configs()).containsEntry("cleanup.policy", "compact");
    assertThat(wanted.get(4).configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", "604800000");
  }

  @Test
  void theChangelogFollowsTheEventsPartitionCount_andTheEventsFollowTheChangelog() {
    assertThat(TopicSetup.wanted(names, TopicPlan.of(6), Map.of("v2p.events", 3)))
        .filteredOn(t -> t.name().equals("v2p.instance-state"))
        .singleElement()
        .satisfies(t -> assertThat(t.partitions()).isEqualTo(3));
    assertThat(TopicSetup.wanted(names, TopicPlan.of(6), Map.of("v2p.instance-state", 4)))
        .filteredOn(t -> t.name().equals("v2p.events"))
        .singleElement()
        .satisfies(t -> assertThat(t.partitions()).isEqualTo(4));
    assertThatThrownBy(
            () ->
                TopicSetup.wanted(
                    names, TopicPlan.of(6), Map.of("v2p.events", 3, "v2p.instance-state", 4)))
        .isInstanceOf(TopicsNotCoPartitionedException.class)
        .hasMessageStartingWith("v2p.events has 3 partitions but v2p.instance-state has 4");
  }

  @Test
  void differencesNameWhatAFoundTopicLacks() {
    assertThat(
            TopicSetup.differences(
                Map.of("cleanup.policy", "compact", "retention.ms", "-1"),
                Map.of("cleanup.policy", "delete", "retention.ms", "-1")))
        .containsExactly("cleanup.policy=delete (wanted compact)");
  }

  @Test
  void aPlanRefusesNonsense() {
    assertThatThrownBy(() -> TopicPlan.of(0)).hasMessage("partitions must be at least 1, got 0");
    assertThatThrownBy(() -> new TopicPlan(3, (short) 1, 2, Duration.ofDays(1)))
        .hasMessage(
            "min.insync.replicas 2 is more than the replication factor 1: no write could ever"
                + " succeed");
    assertThatThrownBy(() -> new TopicPlan(3, null, null, Duration.ZERO))
        .hasMessage("the retention of acks must be positive, got PT0S");
  }

  @Test
  void anAcksRetentionUnderAMillisecond_isRefused_notARetentionOfZero() {
    // retention.ms counts whole milliseconds: PT0.0005S would become retention.ms=0
    assertThatThrownBy(() -> new TopicPlan(3, null, null, Duration.ofNanos(500_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the retention of acks must be at least 1 ms, got PT0.0005S");
    assertThat(
            TopicSetup.wanted(names, new TopicPlan(3, null, null, Duration.ofMillis(1)), Map.of())
                .get(4)
                .configs())
        .containsEntry("retention.ms", "1");
  }

  @Test
  void theEventsAndTheirDeadLetters_areKeptWhateverTheBrokersSizeRetention() {
    List<TopicSetup.WantedTopic> wanted = TopicSetup.wanted(names, TopicPlan.of(3), Map.of());

    // retention.ms=-1 alone leaves the brokers' log.retention.bytes in force
    assertThat(wanted.get(0).configs()).containsEntry("retention.bytes", "-1");
    assertThat(wanted.get(1).configs()).containsEntry("retention.bytes", "-1");
  }

  @Test
  void prefixedNamesStayDistinct() {
    assertThat(names.withPrefix("t1.").all())
        .containsExactly(
            "t1.v2p.events",
            "t1.v2p.events.dlq",
            "t1.v2p.mappings",
            "t1.v2p.instance-state",
            "t1.v2p.acks",
            "t1.v2p.schemas");
    assertThat(names.used()).doesNotContain("v2p.acks");
  }
}
