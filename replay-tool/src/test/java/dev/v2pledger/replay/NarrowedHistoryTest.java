package dev.v2pledger.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.replay.bench.LogGenerator;
import dev.v2pledger.replay.cli.Commands;
import dev.v2pledger.replay.engine.HistoryRecorder;
import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.report.HistoryReport;
import dev.v2pledger.replay.source.JsonlEventSource;
import dev.v2pledger.replay.source.StopPoint;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.jsonl.JsonlWriter;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history command reads only the lines that can matter; it must say what a full replay says.
 */
class NarrowedHistoryTest {

  @Test
  void historyOfAnIpOrInstanceEqualsTheHistoryOfAFullReplay(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("log.jsonl");
    List<InstanceEvent> events = new ArrayList<>();
    new LogGenerator(7, 4).generate(20_000, events::add);
    try (BufferedWriter out = Files.newBufferedWriter(log)) {
      for (InstanceEvent event : events) {
        out.write(JsonlWriter.toLine(event, null));
        out.write('\n');
      }
    }
    List<String> ips = new ArrayList<>();
    List<InstanceId> instances = new ArrayList<>();
    for (int i = 0; i < events.size() && ips.size() < 5; i += 997) {
      if (events.get(i).payload() instanceof EventPayload.NicAttached nic) {
        ips.add(nic.vni() + "/" + nic.ips().get(0));
        instances.add(events.get(i).instanceId());
      }
    }
    assertThat(ips).isNotEmpty();

    for (String ip : ips) {
      HistoryRecorder full = HistoryRecorder.ofVip(Commands.vip(ip));
      fullReplay(log, full);
      ToolRunner.Run narrowed =
          ToolRunner.run("history", "--from-file", log.toString(), "--ip", ip);
      assertThat(narrowed.out())
          .as(ip)
          .isEqualTo(HistoryReport.text(full.subject(), log.toString(), full.entries(), r -> null));
      assertThat(full.entries()).as(ip).isNotEmpty();
    }
    for (InstanceId instance : instances) {
      HistoryRecorder full = HistoryRecorder.ofInstance(instance);
      fullReplay(log, full);
      assertThat(
              ToolRunner.run(
                      "history", "--from-file", log.toString(), "--instance", instance.toString())
                  .out())
          .isEqualTo(HistoryReport.text(full.subject(), log.toString(), full.entries(), r -> null));
    }
  }

  private static void fullReplay(Path log, HistoryRecorder recorder) throws Exception {
    Replayer replayer = new Replayer().observe(recorder);
    try (JsonlEventSource source = new JsonlEventSource(log, StopPoint.NONE)) {
      source.forEach(
          e -> {
            replayer.accept(e);
            return true;
          });
    }
  }
}
