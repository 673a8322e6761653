package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.avro.InstanceStateRecord;
import dev.v2pledger.schema.testing.NextRelease;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** What a reader drops of what a writer wrote, at any depth. */
class SchemaLossTest {
  private static Schema state(boolean extraNested, boolean extraSymbol) {
    SchemaBuilder.FieldAssembler<Schema> target =
        SchemaBuilder.record("Target").namespace("t").fields().requiredString("sled");
    if (extraNested) {
      target = target.optionalString("rack");
    }
    Schema targetSchema = target.endRecord();
    Schema outcome =
        extraSymbol
            ? SchemaBuilder.enumeration("Outcome").namespace("t").symbols("OPEN", "DONE", "LOST")
            : SchemaBuilder.enumeration("Outcome").namespace("t").symbols("OPEN", "DONE");
    return SchemaBuilder.record("State")
        .namespace("t")
        .fields()
        .requiredLong("gen")
        .name("migration")
        .type()
        .optional()
        .type(targetSchema)
        .name("past")
        .type()
        .array()
        .items(outcome)
        .noDefault()
        .endRecord();
  }

  @Test
  void theSameSchemaOrAReaderWithMoreLosesNothing() {
    assertThat(SchemaLoss.of(state(false, false), state(false, false))).isEmpty();
    assertThat(SchemaLoss.of(state(false, false), state(true, true))).isEmpty();
    Schema current = InstanceStateRecord.getClassSchema();
    assertThat(SchemaLoss.of(current, current)).isEmpty();
  }

  @Test
  void aWriterWithMoreLosesItsFieldsAndSymbols_atAnyDepth() {
    assertThat(SchemaLoss.of(state(true, true), state(false, false)))
        .containsExactly("migration.rack", "past[]=LOST");
    Schema current = InstanceStateRecord.getClassSchema();
    assertThat(SchemaLoss.of(NextRelease.of(current), current)).containsExactly(NextRelease.FIELD);
  }

  @Test
  void aRecursiveRecordIsWalkedOnce() {
    Schema node =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Node\",\"fields\":["
                    + "{\"name\":\"extra\",\"type\":\"int\"},"
                    + "{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}");
    Schema lean =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"Node\",\"fields\":["
                    + "{\"name\":\"next\",\"type\":[\"null\",\"Node\"]}]}");

    assertThat(SchemaLoss.of(node, lean)).containsExactly("extra");
  }

  @Test
  void everyReleasedStateSchemaReadsIntoThisBuildsLosingNothing() {
    Schema current = InstanceStateRecord.getClassSchema();
    for (Schema released : SchemaHistory.versions(current.getName())) {
      assertThat(SchemaLoss.of(released, current))
          .as("released %s", released.getFullName())
          .isEmpty();
    }
  }
}
