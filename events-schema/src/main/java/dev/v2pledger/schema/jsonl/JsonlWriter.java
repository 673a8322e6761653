package dev.v2pledger.schema.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.IpAddr;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.jspecify.annotations.Nullable;

/**
 * Writes events as canonical JSON lines: {@code type}, {@code instance_id}, the payload's fields in
 * schema order, then the optional {@code event_id}, {@code occurred_at}, {@code source}, {@code
 * instance_gen} and {@code position}. Ids and addresses are written in canonical text, so writing
 * what was read normalizes a file.
 */
public final class JsonlWriter implements Closeable, Flushable {
  private static final JsonFactory FACTORY = new JsonFactory();

  private final Writer out;

  public JsonlWriter(Writer out) {
    this.out = out;
  }

  /** One event as one line of JSON, without the newline. */
  public static String toLine(InstanceEvent event, @Nullable EventPosition position) {
    StringWriter line = new StringWriter(256);
    try (JsonGenerator json = FACTORY.createGenerator(line)) {
      writeEvent(json, event, position);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return line.toString();
  }

  public void write(InstanceEvent event) throws IOException {
    write(event, null);
  }

  public void write(InstanceEvent event, @Nullable EventPosition position) throws IOException {
    out.write(toLine(event, position));
    out.write('\n');
  }

  private static void writeEvent(
      JsonGenerator json, InstanceEvent event, @Nullable EventPosition position)
      throws IOException {
    json.writeStartObject();
    json.writeStringField("type", event.type().name());
    json.writeStringField("instance_id", event.instanceId().toString());
    writePayload(json, event.payload());
    if (event.eventId() != null) {
      json.writeStringField("event_id", event.eventId().toString());
    }
    if (event.occurredAt() != null) {
      json.writeStringField("occurred_at", event.occurredAt().toString());
    }
    if (event.source() != null) {
      json.writeStringField("source", event.source());
    }
    if (event.instanceGen() != null) {
      json.writeNumberField("instance_gen", event.instanceGen());
    }
    if (position != null) {
      json.writeObjectFieldStart("position");
      json.writeNumberField("partition", position.partition());
      json.writeNumberField("offset", position.offset());
      json.writeStringField("timestamp", position.timestamp().toString());
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  private static void writePayload(JsonGenerator json, EventPayload payload) throws IOException {
    if (payload instanceof NicAttached p) {
      json.writeStringField("nic_id", p.nicId().toString());
      json.writeNumberField("vni", p.vni().value());
      json.writeStringField("mac", p.mac().toString());
      json.writeArrayFieldStart("ips");
      for (IpAddr ip : p.ips()) {
        json.writeString(ip.toString());
      }
      json.writeEndArray();
      json.writeNumberField("ip_epoch", p.ipEpoch());
    } else if (payload instanceof NicDetached p) {
      json.writeStringField("nic_id", p.nicId().toString());
    } else if (payload instanceof VmmPlaced p) {
      json.writeStringField("vmm_id", p.vmmId().toString());
      json.writeStringField("sled_id", p.sledId().toString());
      json.writeStringField("sled_underlay_ip", p.sledUnderlayIp().toString());
    } else if (payload instanceof MigrationStarted p) {
      json.writeStringField("migration_id", p.migrationId().toString());
      json.writeStringField("source_vmm_id", p.sourceVmmId().toString());
      json.writeStringField("target_vmm_id", p.targetVmmId().toString());
      json.writeStringField("target_sled_id", p.targetSledId().toString());
      json.writeStringField("target_sled_underlay_ip", p.targetSledUnderlayIp().toString());
    } else if (payload instanceof MigrationReported p) {
      json.writeStringField("migration_id", p.migrationId().toString());
      json.writeStringField("side", p.side().name());
      json.writeStringField("state", p.state().name());
      json.writeNumberField("gen", p.gen());
    } else if (payload instanceof VmmReported p) {
      json.writeStringField("vmm_id", p.vmmId().toString());
      json.writeStringField("state", p.state().name());
      json.writeNumberField("gen", p.gen());
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
