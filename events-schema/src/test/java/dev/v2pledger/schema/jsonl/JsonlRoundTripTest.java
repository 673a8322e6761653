package dev.v2pledger.schema.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.testing.SampleEvents;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlRoundTripTest {

  @Test
  void everyEventTypeRoundTripsThroughAFileInOrder(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("events.jsonl");
    List<InstanceEvent> events = SampleEvents.everyType();
    try (JsonlWriter writer = new JsonlWriter(Files.newBufferedWriter(file))) {
      for (InstanceEvent event : events) {
        writer.write(event);
      }
    }

    List<JsonlEvent> read = JsonlReader.readAll(file);

    assertThat(read).extracting(JsonlEvent::event).containsExactlyElementsOf(events);
    assertThat(read).extracting(JsonlEvent::line).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(read).allSatisfy(e -> assertThat(e.position()).isNull());
  }

  @Test
  void positionsOfAnExportRoundTrip() {
    InstanceEvent event = SampleEvents.everyType().get(3);
    EventPosition position = new EventPosition(2, 99, Instant.parse("2026-11-23T20:15:00.5Z"));

    JsonlEvent read = JsonlReader.parseLine(JsonlWriter.toLine(event, position), 1);

    assertThat(read.event()).isEqualTo(event);
    assertThat(read.position()).isEqualTo(position);
  }

  @Test
  void writerUsesCanonicalFieldOrderAndText() {
    String line = JsonlWriter.toLine(SampleEvents.everyType().get(0), null);

    assertThat(line)
        .isEqualTo(
            "{\"type\":\"NicAttached\",\"instance_id\":\"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6\","
                + "\"nic_id\":\"11111111-2222-4333-8444-555555555555\",\"vni\":7777,"
                + "\"mac\":\"a8:40:25:f1:6e:6f\",\"ips\":[\"172.30.0.5\",\"fd77::5\"],\"ip_epoch\":12,"
                + "\"event_id\":\"e0e0e0e0-0000-4000-8000-000000000000\","
                + "\"occurred_at\":\"2026-11-23T20:15:00.123456Z\",\"source\":\"nexus\",\"instance_gen\":40}");
  }

  @Test
  void designExamplesParseAndNonCanonicalTextIsCanonicalized() {
    String file =
        """
        {"type":"NicAttached","instance_id":"8D3C5F2A-0B1C-4D5E-8F90-A1B2C3D4E5F6","nic_id":"11111111-2222-4333-8444-555555555555","vni":7777,"mac":"A8:40:25:F1:6E:6F","ips":["172.30.0.5","FD77:0:0::5"],"ip_epoch":1}

        {"type":"VmmPlaced","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","vmm_id":"aaaaaaaa-0000-4000-8000-00000000000a","sled_id":"51ed0001-0000-4000-8000-000000000001","sled_underlay_ip":"fd00:1122:3344:0101::1"}
        {"type":"MigrationStarted","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","migration_id":"319a7100-0000-4000-8000-000000000001","source_vmm_id":"aaaaaaaa-0000-4000-8000-00000000000a","target_vmm_id":"bbbbbbbb-0000-4000-8000-00000000000b","target_sled_id":"51ed0002-0000-4000-8000-000000000002","target_sled_underlay_ip":"fd00:1122:3344:102::1"}
        {"type":"MigrationReported","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","migration_id":"319a7100-0000-4000-8000-000000000001","side":"TARGET","state":"COMPLETED","gen":3}
        {"type":"VmmReported","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","vmm_id":"aaaaaaaa-0000-4000-8000-00000000000a","state":"DESTROYED","gen":5,"occurred_at":"2026-11-23T21:15:00+01:00"}
        {"type":"NicDetached","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6","nic_id":"11111111-2222-4333-8444-555555555555"}
        {"type":"InstanceDeleted","instance_id":"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6"}
        """;
    List<JsonlEvent> events = new ArrayList<>();
    new JsonlReader(new StringReader(file)).forEachRemaining(events::add);

    assertThat(events).hasSize(7);
    assertThat(events.get(1).line()).isEqualTo(3);
    EventPayload.NicAttached nic = (EventPayload.NicAttached) events.get(0).event().payload();
    assertThat(nic.ips()).containsExactly(IpAddr.parse("172.30.0.5"), IpAddr.parse("fd77::5"));
    assertThat(events.get(0).event().instanceId()).isEqualTo(SampleEvents.INSTANCE);
    assertThat(nic.mac().toString()).isEqualTo("a8:40:25:f1:6e:6f");
    assertThat(
            ((EventPayload.VmmPlaced) events.get(1).event().payload()).sledUnderlayIp().toString())
        .isEqualTo("fd00:1122:3344:101::1");
    assertThat(events.get(4).event().occurredAt()).isEqualTo(Instant.parse("2026-11-23T20:15:00Z"));
  }

  @Test
  void readingThenWritingNormalizesAFile() throws IOException {
    String line =
        "{\"instance_id\":\"8D3C5F2A-0B1C-4D5E-8F90-A1B2C3D4E5F6\",\"type\":\"NicDetached\","
            + "\"nic_id\":\"11111111-2222-4333-8444-555555555555\"}";
    StringWriter out = new StringWriter();
    try (JsonlWriter writer = new JsonlWriter(out)) {
      writer.write(JsonlReader.parseLine(line, 1).event());
    }

    assertThat(out.toString())
        .isEqualTo(
            "{\"type\":\"NicDetached\",\"instance_id\":\"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6\","
                + "\"nic_id\":\"11111111-2222-4333-8444-555555555555\"}\n");
  }
}
