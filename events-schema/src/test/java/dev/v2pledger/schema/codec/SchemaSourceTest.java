package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.testing.NextRelease;
import dev.v2pledger.schema.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** A reader decodes a newer compatible writer schema it finds in its source, and only then. */
class SchemaSourceTest {
  private static final RecordOrigin ORIGIN = RecordOrigin.of("v2p.events", 1, 7);
  private static final Schema CURRENT = dev.v2pledger.schema.avro.InstanceEvent.getClassSchema();
  private static final Schema NEXT = NextRelease.of(CURRENT);
  private final Map<Long, Schema> registered = new HashMap<>();
  private final SchemaSource source =
      new SchemaSource() {
        @Override
        public Schema find(long fingerprint) {
          return registered.get(fingerprint);
        }

        @Override
        public String name() {
          return "test registry";
        }
      };

  private static byte[] written(InstanceEvent event) {
    return NextRelease.encode(NEXT, EventCodec.toAvro(event), "from the future");
  }

  @Test
  void givenNewerSchemaRegistered_whenDecoded_thenResolvedIntoThisBuildsSchema() {
    InstanceEvent event = SampleEvents.everyType().get(2);
    registered.put(SchemaNormalization.parsingFingerprint64(NEXT), NEXT);

    assertThat(new EventCodec(source).decode(written(event), ORIGIN)).isEqualTo(event);
  }

  @Test
  void givenNewerSchemaNowhere_whenDecoded_thenUnknownSchemaListingTheKnownFingerprints() {
    InstanceEvent event = SampleEvents.everyType().get(0);
    long next = SchemaNormalization.parsingFingerprint64(NEXT);

    assertThatThrownBy(() -> new EventCodec(source).decode(written(event), ORIGIN))
        .isInstanceOfSatisfying(
            RecordDecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA))
        .hasMessageContaining(AvroRecordCodec.hex(next))
        .hasMessageContaining("v1 " + hex(SchemaHistory.versions("InstanceEvent").get(0)))
        .hasMessageContaining("v2 " + hex(CURRENT))
        .hasMessageEndingWith("nor is it registered in test registry");
  }

  /**
   * A registry that refuses the reader is told apart from one without the schema: the projector,
   * with its ACL, may have decoded what a reader without it cannot (the replay tool stops then).
   */
  @Test
  void aRegistryThatRefusesTheReader_isToldApartFromAnUnregisteredSchema() {
    InstanceEvent event = SampleEvents.everyType().get(0);
    byte[] key = event.key().getBytes(StandardCharsets.UTF_8);
    SchemaSource refusing =
        new SchemaSource() {
          @Override
          public Schema find(long fingerprint) {
            throw new TopicAuthorizationException("Not authorized to access topics: [v2p.schemas]");
          }

          @Override
          public String name() {
            return "v2p.schemas";
          }
        };

    EventAdmission.Verdict refused =
        new EventAdmission(refusing).judge("v2p.events", 1, 7, key, written(event), null, 0);
    EventAdmission.Verdict unregistered =
        new EventAdmission(source).judge("v2p.events", 1, 7, key, written(event), null, 0);

    assertThat(refused.reason()).isEqualTo(EventAdmission.Reason.UNKNOWN_SCHEMA);
    assertThat(refused.registryRefused()).isTrue();
    assertThat(refused.error()).contains("v2p.schemas cannot be read: Not authorized");
    assertThat(unregistered.reason()).isEqualTo(EventAdmission.Reason.UNKNOWN_SCHEMA);
    assertThat(unregistered.registryRefused()).isFalse();
  }

  @Test
  void givenIncompatibleSchemaRegistered_whenDecoded_thenUnknownSchemaSayingWhy() {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : CURRENT.getFields()) {
      fields.add(
          field.name().equals("instance_id")
              ? new Schema.Field(field.name(), Schema.create(Schema.Type.LONG))
              : new Schema.Field(field, field.schema()));
    }
    Schema other =
        Schema.createRecord(CURRENT.getName(), null, CURRENT.getNamespace(), false, fields);
    assertThat(other.getField("instance_id").schema().getType()).isEqualTo(Schema.Type.LONG);
    long fingerprint = SchemaNormalization.parsingFingerprint64(NEXT);
    registered.put(fingerprint, other);

    assertThatThrownBy(
            () -> new EventCodec(source).decode(written(SampleEvents.everyType().get(0)), ORIGIN))
        .hasMessageContaining("cannot be read as this build's");
  }

  @Test
  void givenARegistryThatDoesNotAnswer_whenAnEventIsJudged_thenItIsNotRefusedButTriedAgain() {
    boolean[] answering = {false};
    SchemaSource slow =
        fingerprint -> {
          if (!answering[0]) {
            throw new TimeoutException("v2p.schemas: no answer");
          }
          return fingerprint == SchemaNormalization.parsingFingerprint64(NEXT) ? NEXT : null;
        };
    EventAdmission admission = new EventAdmission(slow);
    InstanceEvent event = SampleEvents.everyType().get(1);
    byte[] key = event.key().getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> admission.judge("v2p.events", 0, 7, key, written(event), null, 0))
        .isInstanceOfSatisfying(
            RecordDecodeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
              assertThat(e.isTransient()).isTrue();
            });
    answering[0] = true;
    EventAdmission.Verdict verdict =
        admission.judge("v2p.events", 0, 7, key, written(event), null, 0);
    assertThat(verdict.admitted()).isTrue();
    assertThat(verdict.event()).isEqualTo(event);
  }

  @Test
  void givenARegistryThatAnswersWithoutTheSchema_thenTheEventIsRefused() {
    EventAdmission admission = new EventAdmission(source);
    InstanceEvent event = SampleEvents.everyType().get(1);
    byte[] key = event.key().getBytes(StandardCharsets.UTF_8);

    EventAdmission.Verdict verdict =
        admission.judge("v2p.events", 0, 7, key, written(event), null, 0);

    assertThat(verdict.admitted()).isFalse();
    assertThat(verdict.reason()).isEqualTo(EventAdmission.Reason.UNKNOWN_SCHEMA);
  }

  @Test
  void aSchemaFoundOnceIsKept_theSourceIsNotAskedAgain() {
    int[] asked = {0};
    SchemaSource counting =
        fingerprint -> {
          asked[0]++;
          return fingerprint == SchemaNormalization.parsingFingerprint64(NEXT) ? NEXT : null;
        };
    EventCodec codec = new EventCodec(counting);
    InstanceEvent event = SampleEvents.everyType().get(1);

    codec.decode(written(event), ORIGIN);
    codec.decode(written(event), ORIGIN);

    assertThat(asked[0]).isEqualTo(1);
  }

  private static String hex(Schema schema) {
    return AvroRecordCodec.hex(SchemaNormalization.parsingFingerprint64(schema));
  }
}
