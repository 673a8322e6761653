package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.avro.ApplierAck;
import dev.v2pledger.schema.avro.InstanceEvent;
import dev.v2pledger.schema.avro.InstanceStateRecord;
import dev.v2pledger.schema.avro.V2PMapping;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schema evolution guard: every record type's current schema must read data written by every
 * released version and be readable by every released version (full compatibility), and must itself
 * be released, i.e. kept in {@code
 * src/main/resources/dev/v2pledger/schema/history/<Record>/vN.avsc}. A change that breaks either
 * direction fails the build here, and so do a logical type changed under a field and a named type
 * moved to another namespace, which neither Avro's compatibility check nor the fingerprint sees.
 */
class SchemaEvolutionTest {

  static Stream<Schema> currentSchemas() {
    return Stream.of(
        InstanceEvent.getClassSchema(),
        V2PMapping.getClassSchema(),
        ApplierAck.getClassSchema(),
        InstanceStateRecord.getClassSchema());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("currentSchemas")
  void currentSchemaIsFullyCompatibleWithEveryReleasedVersion(Schema current) {
    List<Schema> history = SchemaHistory.versions(current.getName());

    assertThat(history).as("released versions of %s", current.getName()).isNotEmpty();
    for (int i = 0; i < history.size(); i++) {
      Schema released = history.get(i);
      assertThat(guard(current, released))
          .as("current %s reading data written with v%d", current.getName(), i + 1)
          .isEmpty();
      assertThat(guard(released, current))
          .as("v%d of %s reading data written with the current schema", i + 1, current.getName())
          .isEmpty();
    }
  }

  /**
   * A released schema is never edited: records written with it carry its fingerprint, and a reader
   * whose history has another one for that version cannot find theirs (it must look them up in
   * {@code v2p.schemas}, where they may not be). A new release adds its line here.
   */
  @Test
  void releasedSchemasAreNeverChanged() {
    Map<String, String> released = new TreeMap<>();
    currentSchemas()
        .forEach(
            current -> {
              List<Schema> history = SchemaHistory.versions(current.getName());
              for (int i = 0; i < history.size(); i++) {
                released.put(
                    current.getName() + "/v" + (i + 1),
                    AvroRecordCodec.hex(SchemaNormalization.parsingFingerprint64(history.get(i))));
              }
            });

    assertThat(released).isEqualTo(RELEASED);
  }

  /**
   * Each released version's fingerprint. (InstanceStateRecord/v2 was edited once, on 2026-12-05,
   * after builds had written states with it: those decode only through {@code v2p.schemas}.)
   */
  private static final Map<String, String> RELEASED =
      Map.of(
          "ApplierAck/v1", "e3ef128f6a18814d",
          "InstanceEvent/v1", "f7bcc7b4670f3900",
          "InstanceEvent/v2", "036b6d0aad10499f",
          "InstanceStateRecord/v1", "e438d64f19ee7f53",
          "InstanceStateRecord/v2", "0a7ef3e2e0b27bfa",
          "V2PMapping/v1", "6c2768abfde002a2");

  @ParameterizedTest(name = "{0}")
  @MethodSource("currentSchemas")
  void currentSchemaIsTheNewestReleasedVersion(Schema current) {
    List<Schema> history = SchemaHistory.versions(current.getName());
    Schema newest = history.get(history.size() - 1);

    assertThat(SchemaNormalization.parsingFingerprint64(newest))
        .as(
            "%s changed: if it is compatible, add it as history/%s/v%d.avsc",
            current.getName(), current.getName(), history.size() + 1)
        .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
  }

  /**
   * A record's first released version is known to a reader of any release; a later one needs the
   * registry for readers released before it (EventPublisher holds events back without it).
   */
  @Test
  void onlyARecordsFirstReleasedVersionIsItsFirstRelease() {
    for (String record : SchemaHistory.RECORDS) {
      List<Schema> versions = SchemaHistory.versions(record);
      assertThat(SchemaHistory.isFirstRelease(versions.get(0))).as(record + " v1").isTrue();
      for (Schema later : versions.subList(1, versions.size())) {
        assertThat(SchemaHistory.isFirstRelease(later)).as(record + " later").isFalse();
      }
    }
    assertThat(SchemaHistory.isFirstRelease(InstanceEvent.getClassSchema()))
        .as("this build's event schema: v2")
        .isFalse();
    assertThat(SchemaHistory.isFirstRelease(ApplierAck.getClassSchema())).isTrue();
  }

  @Test
  void theGuardCatchesAnIncompatibleChange() {
    Schema current = ApplierAck.getClassSchema();
    Schema broken =
        ackSchemaWith(
            "\"name\":\"partition\",\"type\":\"int\"",
            "\"name\":\"partition\",\"type\":\"string\"");

    assertThat(broken.getField("partition").schema().getType()).isEqualTo(Schema.Type.STRING);
    assertThat(incompatibilities(broken, current)).isNotEmpty();
    assertThat(incompatibilities(current, broken)).isNotEmpty();
  }

  @Test
  void theGuardCatchesANewFieldWithoutDefault() {
    Schema current = ApplierAck.getClassSchema();
    Schema added =
        ackSchemaWith("\"fields\":[", "\"fields\":[{\"name\":\"extra\",\"type\":\"long\"},");

    assertThat(incompatibilities(added, current)).isNotEmpty();
    assertThat(incompatibilities(current, added)).isEmpty();
  }

  /**
   * A logical type changed under a field (millis to micros) is neither in the fingerprint (the
   * Parsing Canonical Form drops it) nor an Avro incompatibility, yet a reader of one reads the
   * other's values as something else: {@code time} a thousand times too late.
   */
  @Test
  void theGuardCatchesALogicalTypeChange() {
    Schema current = ApplierAck.getClassSchema();
    Schema micros = ackSchemaWith("timestamp-millis", "timestamp-micros");

    assertThat(SchemaNormalization.parsingFingerprint64(micros))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
    assertThat(guard(micros, current)).isNotEmpty();
    assertThat(guard(current, micros)).isNotEmpty();
  }

  /**
   * A type moved to another namespace: Avro's check and resolution match names without their
   * namespace, but the {@code v2p.schema} header names the full name, and a reader refuses a record
   * whose header names another type, for good (every older applier would hold every record).
   */
  @Test
  void theGuardCatchesANamespaceMove() {
    Schema current = ApplierAck.getClassSchema();
    Schema moved =
        ackSchemaWith("\"namespace\":\"dev.v2pledger.schema.avro\"", "\"namespace\":\"x.y\"");

    assertThat(moved.getFullName()).isEqualTo("x.y.ApplierAck");
    assertThat(incompatibilities(moved, current)).as("Avro's own check").isEmpty();
    assertThat(guard(moved, current))
        .containsExactly("NAME at /: dev.v2pledger.schema.avro.ApplierAck read as x.y.ApplierAck");
    assertThat(guard(current, moved)).isNotEmpty();
  }

  /** What the guard finds wrong with {@code reader} reading what {@code writer} wrote. */
  private static List<String> guard(Schema reader, Schema writer) {
    List<String> found = new ArrayList<>(incompatibilities(reader, writer));
    logicalTypes(reader, writer, "", found, new HashSet<>());
    return found;
  }

  /**
   * Adds to {@code found} every place where {@code reader} and {@code writer} have the same type
   * under another logical type (or one has none): Avro's compatibility check and the fingerprint
   * both ignore logical types.
   */
  private static void logicalTypes(
      Schema reader, Schema writer, String path, List<String> found, Set<String> seen) {
    if (reader.getType() == Schema.Type.UNION || writer.getType() == Schema.Type.UNION) {
      for (Schema w : branches(writer)) {
        for (Schema r : branches(reader)) {
          if (r.getType() == w.getType() && (!named(w) || r.getName().equals(w.getName()))) {
            logicalTypes(r, w, path, found, seen);
          }
        }
      }
      return;
    }
    if (reader.getType() != writer.getType()) {
      return; // Avro's check says what is wrong
    }
    if (named(reader) && !reader.getFullName().equals(writer.getFullName())) {
      found.add(
          "NAME at "
              + (path.isEmpty() ? "/" : path)
              + ": "
              + writer.getFullName()
              + " read as "
              + reader.getFullName());
    }
    String read = logicalType(reader);
    String written = logicalType(writer);
    if (!read.equals(written)) {
      found.add(
          "LOGICAL_TYPE at " + (path.isEmpty() ? "/" : path) + ": " + written + " read as " + read);
    }
    switch (reader.getType()) {
      case RECORD -> {
        if (seen.add(reader.getFullName())) {
          for (Schema.Field field : writer.getFields()) {
            Schema.Field counterpart = reader.getField(field.name());
            if (counterpart != null) {
              logicalTypes(
                  counterpart.schema(), field.schema(), path + "/" + field.name(), found, seen);
            }
          }
        }
      }
      case ARRAY ->
          logicalTypes(reader.getElementType(), writer.getElementType(), path + "[]", found, seen);
      case MAP ->
          logicalTypes(reader.getValueType(), writer.getValueType(), path + "{}", found, seen);
      default -> {}
    }
  }

  private static List<Schema> branches(Schema schema) {
    return schema.getType() == Schema.Type.UNION ? schema.getTypes() : List.of(schema);
  }

  private static boolean named(Schema schema) {
    return switch (schema.getType()) {
      case RECORD, ENUM, FIXED -> true;
      default -> false;
    };
  }

  private static String logicalType(Schema schema) {
    LogicalType type = schema.getLogicalType();
    if (type == null) {
      return "no logical type";
    }
    return type instanceof LogicalTypes.Decimal decimal
        ? "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")"
        : type.getName();
  }

  /** The ApplierAck schema with {@code text} of its JSON replaced by {@code replacement}. */
  private static Schema ackSchemaWith(String text, String replacement) {
    return new Schema.Parser()
        .parse(ApplierAck.getClassSchema().toString().replace(text, replacement));
  }

  private static List<String> incompatibilities(Schema reader, Schema writer) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return result.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .toList();
  }
}
