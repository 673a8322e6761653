package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.ProjectorStatus.Phase;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.testing.NoSuchPartition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stop while the runner registers its schemas in a {@code v2p.schemas} that does not take them:
 * every write goes to a partition the topic does not have ({@link NoSuchPartition}) and waits out
 * its delivery timeout, 20 s. The stop ends the registration at once; it waited for the write (and
 * a projector's close for it), up to 30 s.
 */
@WithKafka
class OwnSchemasStopIT {
  /** Far below the write's 20 s: a bound on liveness, not a measure. */
  private static final Duration PROMPTLY = Duration.ofSeconds(8);

  /** The first attempt, as the session starts (before its restore). */
  @Test
  void aStopDuringTheRegistrationAtSessionStart_endsAtOnce(KafkaCluster kafka) throws Exception {
    try (Harness harness = new Harness(kafka, "own-stop-start", 1, "own-stop-start")) {
      Map<String, Object> stalling = NoSuchPartition.stalling(Map.of());
      Projector projector = harness.start(harness.config("own-stop-start-1", stalling, b -> b));
      assertThat(NoSuchPartition.asked(30)).as("the registration's write began").isTrue();

      assertTimeoutPreemptively(PROMPTLY, projector::close);

      assertThat(projector.awaitTermination(Duration.ZERO)).isTrue();
      assertThat(projector.status().phase()).isEqualTo(Phase.STOPPED);
      assertThat(projector.failure()).isNull();
    }
  }

  /**
   * An attempt before a transaction (the first failed: its write timed out): the stop ends it, the
   * event polled is left uncommitted, neither folded nor dead-lettered, and a successor projects
   * it.
   */
  @Test
  void aStopDuringTheRegistrationBeforeATransaction_endsAtOnce_andLosesNothing(KafkaCluster kafka)
      throws Exception {
    try (Harness harness = new Harness(kafka, "own-stop-tx", 1, "own-stop-tx")) {
      Map<String, Object> stalling = NoSuchPartition.stalling(Map.of());
      Projector projector = harness.start(harness.config("own-stop-tx-1", stalling, b -> b));
      harness.awaitReady(projector); // after the first attempt's write timed out (20 s)
      harness.publish(started());
      await() // the transaction's attempt began its write, which stalls
          .atMost(Duration.ofSeconds(30))
          .until(() -> NoSuchPartition.asks() >= 2);

      assertTimeoutPreemptively(PROMPTLY, projector::close);

      assertThat(projector.status().phase()).isEqualTo(Phase.STOPPED);
      assertThat(projector.failure()).isNull();
      assertThat(harness.mappings()).as("nothing committed").isEmpty();

      harness.startReady("own-stop-tx-2");
      harness.awaitCaughtUp();
      harness.assertMatchesOracle();
      assertThat(harness.readAll(harness.topics().dlq())).as("nothing dead-lettered").isEmpty();
    }
  }

  /** An instance attached and placed: two events, two mapping records once projected. */
  private static List<InstanceEvent> started() {
    InstanceId id = InstanceId.parse("0000aaaa-0000-4000-8000-000000000001");
    return List.of(
        InstanceEvent.of(
                id,
                new NicAttached(
                    NicId.parse("0000aaaa-0000-4000-8000-000000000002"),
                    new Vni(7777),
                    MacAddr.parse("a8:40:25:f1:6e:6f"),
                    List.of(IpAddr.parse("172.30.0.9")),
                    1))
            .withInstanceGen(1),
        InstanceEvent.of(
                id,
                new VmmPlaced(
                    VmmId.parse("0000aaaa-0000-4000-8000-000000000003"),
                    SledId.parse("51ed0000-0000-4000-8000-00000000000a"),
                    Ipv6Addr.parse("fd00::1")))
            .withInstanceGen(2));
  }
}
