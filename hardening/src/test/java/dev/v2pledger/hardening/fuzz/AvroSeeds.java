package dev.v2pledger.hardening.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Valid Avro single-object encodings of any record schema, with random field values (some of them
 * valid domain text, some not): seeds for the generic {@code AvroRecordCodec} of every generated
 * record, nested ones included.
 */
final class AvroSeeds {
  private static final String[] TEXTS = {
    "",
    "x",
    "not-a-uuid",
    "172.30.0.5",
    "fd00::1",
    "a8:40:25:f1:6e:6f",
    "nexus",
    "\u00e9\u2028",
    "01.2.3.4",
    "fe80::1%eth0",
    "AA:BB:CC:DD:EE:FF",
    "8D3C5F2A-0B1C-4D5E-8F90-A1B2C3D4E5F6"
  };

  private final Random random;

  AvroSeeds(Random random) {
    this.random = random;
  }

  /** Every named record reachable from {@code roots}, each once, roots first. */
  static List<Schema> records(List<Schema> roots) {
    Map<String, Schema> found = new LinkedHashMap<>();
    roots.forEach(root -> collect(root, found));
    return List.copyOf(found.values());
  }

  private static void collect(Schema schema, Map<String, Schema> found) {
    switch (schema.getType()) {
      case RECORD -> {
        if (found.putIfAbsent(schema.getFullName(), schema) == null) {
          schema.getFields().forEach(field -> collect(field.schema(), found));
        }
      }
      case UNION -> schema.getTypes().forEach(branch -> collect(branch, found));
      case ARRAY -> collect(schema.getElementType(), found);
      case MAP -> collect(schema.getValueType(), found);
      default -> {}
    }
  }

  /** {@code count} encodings of random records of {@code schema}. */
  List<byte[]> encodings(Schema schema, int count) {
    BinaryMessageEncoder<GenericRecord> encoder =
        new BinaryMessageEncoder<>(GenericData.get(), schema);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      try {
        ByteBuffer buffer = encoder.encode((GenericRecord) datum(schema, 0));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        out.add(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private Object datum(Schema schema, int depth) {
    return datum(schema, depth, "");
  }

  /** A value of {@code schema} for a field named {@code field}: plausible text for its name. */
  private Object datum(Schema schema, int depth, String field) {
    return switch (schema.getType()) {
      case RECORD -> record(schema, depth);
      case UNION ->
          datum(schema.getTypes().get(random.nextInt(schema.getTypes().size())), depth, field);
      case ARRAY -> array(schema, depth, field);
      case ENUM ->
          new GenericData.EnumSymbol(
              schema, schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size())));
      case STRING -> text(field);
      case INT -> random.nextInt(4) > 0 ? random.nextInt(1 << 24) : random.nextInt();
      case LONG -> random.nextInt(4) > 0 ? (long) random.nextInt(1000) : random.nextLong();
      case BOOLEAN -> random.nextBoolean();
      case NULL -> null;
      default -> throw new IllegalArgumentException("no generator for " + schema.getType());
    };
  }

  private GenericRecord record(Schema schema, int depth) {
    GenericData.Record record = new GenericData.Record(schema);
    for (Schema.Field field : schema.getFields()) {
      record.put(field.pos(), datum(field.schema(), depth + 1, field.name()));
    }
    return record;
  }

  private List<Object> array(Schema schema, int depth, String field) {
    int size = depth > 3 ? 0 : random.nextInt(4);
    List<Object> items = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      items.add(datum(schema.getElementType(), depth + 1, field));
    }
    return new GenericData.Array<>(schema, items);
  }

  /** Mostly what the field holds (a UUID for an id, an address for an IP, a MAC), else junk. */
  private String text(String field) {
    if (random.nextInt(8) == 0) {
      return TEXTS[random.nextInt(TEXTS.length)];
    }
    if (field.endsWith("_id") || field.equals("recent_vmm_ids")) {
      return UUID.randomUUID().toString();
    }
    if (field.equals("mac")) {
      return String.format(
          "%02x:00:5e:%02x:%02x:01", random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }
    if (field.contains("ip")) {
      return random.nextBoolean()
          ? "fd00::" + Integer.toHexString(random.nextInt(1 << 16))
          : "10.0.0." + random.nextInt(256);
    }
    return field.equals("source") ? "nexus" : UUID.randomUUID().toString();
  }
}
