package dev.v2pledger.replay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.replay.source.Position;
import dev.v2pledger.replay.source.ReplayEvent;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A history lists events in the order they were folded in wherever that is the log's: a partition
 * in offset order, whatever its log times say; a file in file order.
 */
class HistoryOrderTest {
  static final Vni VNI = new Vni(7777);
  static final IpAddr IP = IpAddr.parse("172.30.0.9");
  static final NicId NIC_A = NicId.parse("1c000001-0000-4000-8000-000000000001");

  /** The IP's two owners' NICs attached, and the first one's detached. */
  static final InstanceEvent A_ATTACHED = attached("a0000001", NIC_A, 1);

  static final InstanceEvent A_DETACHED =
      InstanceEvent.of(A_ATTACHED.instanceId(), new NicDetached(NIC_A));
  static final InstanceEvent B_ATTACHED =
      attached("b0000002", NicId.parse("1c000002-0000-4000-8000-000000000002"), 2);

  private static InstanceEvent attached(String instance, NicId nic, int epoch) {
    return InstanceEvent.of(
        InstanceId.parse(instance + "-0000-4000-8000-000000000001"),
        new NicAttached(nic, VNI, MacAddr.parse("a8:40:25:00:00:0" + epoch), List.of(IP), epoch));
  }

  private static Position kafka(int partition, long offset, int second) {
    return Position.ofKafka(
        new EventPosition(
            partition, offset, Instant.parse("2026-11-23T03:10:00Z").plusSeconds(second)));
  }

  private static List<String> historyOf(List<ReplayEvent> folded) {
    HistoryRecorder recorder = HistoryRecorder.ofVip(new Vip(VNI, IP));
    Replayer replayer = new Replayer().observe(recorder);
    folded.forEach(replayer::accept);
    return recorder.entries().stream().map(entry -> entry.position().toString()).toList();
  }

  @Test
  void fromKafka_eachPartitionKeepsItsOffsetOrder_andPartitionsMergeByLogTime() {
    List<String> shown =
        historyOf(
            List.of(
                new ReplayEvent(A_ATTACHED, kafka(0, 0, 10)),
                new ReplayEvent(B_ATTACHED, kafka(1, 0, 7)),
                new ReplayEvent(
                    A_DETACHED, kafka(0, 1, 5)))); // a log time before its predecessor's

    assertThat(shown).containsExactly("1:0", "0:0", "0:1");
  }

  @Test
  void fromAFile_fileOrder_evenWhereAnExportsLogTimesOrLineWithoutAPositionSayOtherwise() {
    List<String> shown =
        historyOf(
            List.of(
                new ReplayEvent(A_ATTACHED, new Position(1, kafka(0, 0, 10).kafka())),
                new ReplayEvent(A_DETACHED, new Position(2, kafka(0, 1, 5).kafka())),
                new ReplayEvent(B_ATTACHED, new Position(3, null))));

    assertThat(shown).containsExactly("line 1 (0:0)", "line 2 (0:1)", "line 3");
  }
}
