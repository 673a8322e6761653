package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
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
 * direction fails the build here.
 */
class SchemaEvolutionTest {

  static Stream<Schema> currentSchemas() {
    return Stream.of(
        dev.v2pledger.schema.avro.InstanceEvent.getClassSchema(),
        dev.v2pledger.schema.avro.V2PMapping.getClassSchema(),
        dev.v2pledger.schema.avro.ApplierAck.getClassSchema(),
        dev.v2pledger.schema.avro.InstanceStateRecord.getClassSchema());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("currentSchemas")
  void currentSchemaIsFullyCompatibleWithEveryReleasedVersion(Schema current) {
    List<Schema> history = SchemaHistory.versions(current.getName());

    assertThat(history).as("released versions of %s", current.getName()).isNotEmpty();
    for (int i = 0; i < history.size(); i++) {
      Schema released = history.get(i);
      assertThat(incompatibilities(current, released))
          .as("current %s reading data written with v%d", current.getName(), i + 1)
          .isEmpty();
      assertThat(incompatibilities(released, current))
          .as("v%d of %s reading data written with the current schema", i + 1, current.getName())
          .isEmpty();
    }
  }

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

  @Test
  void theGuardCatchesAnIncompatibleChange() {
    Schema current = dev.v2pledger.schema.avro.ApplierAck.getClassSchema();
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
    Schema current = dev.v2pledger.schema.avro.ApplierAck.getClassSchema();
    Schema added =
        ackSchemaWith("\"fields\":[", "\"fields\":[{\"name\":\"extra\",\"type\":\"long\"},");

    assertThat(incompatibilities(added, current)).isNotEmpty();
    assertThat(incompatibilities(current, added)).isEmpty();
  }

  /** The ApplierAck schema with {@code text} of its JSON replaced by {@code replacement}. */
  private static Schema ackSchemaWith(String text, String replacement) {
    return new Schema.Parser()
        .parse(
            dev.v2pledger.schema.avro.ApplierAck.getClassSchema()
                .toString()
                .replace(text, replacement));
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
