package dev.v2pledger.fold.state;

import static dev.v2pledger.schema.testing.SampleEvents.INSTANCE;
import static dev.v2pledger.schema.testing.SampleEvents.MIGRATION;
import static dev.v2pledger.schema.testing.SampleEvents.NIC;
import static dev.v2pledger.schema.testing.SampleEvents.SLED_1;
import static dev.v2pledger.schema.testing.SampleEvents.VMM_A;
import static dev.v2pledger.schema.testing.SampleEvents.VMM_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.schema.avro.InstanceStateRecord;
import dev.v2pledger.schema.codec.AvroRecordCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.SchemaHistory;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.testing.NextRelease;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class InstanceStateCodecTest {
  private static final MigrationId LATER =
      MigrationId.parse("00000002-0000-4000-8000-0000000000e2");

  @Test
  void stateWithEveryPartFilledRoundTrips() {
    InstanceState state =
        Fold.applyAll(
            InstanceState.empty(INSTANCE),
            List.of(
                nicAttached(IpAddr.parse("172.30.0.5"), IpAddr.parse("fd77::5")),
                e(new EventPayload.VmmPlaced(VMM_A, SLED_1, Ipv6Addr.parse("fd00::1"))),
                e(new EventPayload.VmmReported(VMM_A, VmmState.RUNNING, 2)),
                e(
                    new EventPayload.MigrationStarted(
                        MIGRATION, VMM_A, VMM_B, SLED_1, Ipv6Addr.parse("fd00::1"))),
                e(
                    new EventPayload.MigrationReported(
                        MIGRATION, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 4)),
                e(
                    new EventPayload.MigrationReported(
                        LATER, MigrationSide.TARGET, MigrationState.PENDING, 1))));

    assertThat(state.migration()).isNotNull();
    assertThat(state.sideReports()).hasSize(2);
    assertThat(state.vmms()).hasSize(1);
    assertThat(StateRoundTrip.throughChangelog(state)).isEqualTo(state);
  }

  @Test
  void corruptStateIsATypedError() {
    InstanceStateCodec codec = new InstanceStateCodec();

    assertThatThrownBy(
            () -> codec.decode(new byte[] {1, 2, 3}, RecordOrigin.of("v2p.instance-state", 1, 9)))
        .isInstanceOf(RecordDecodeException.class)
        .hasMessageStartingWith("v2p.instance-state-1@9: corrupt record");
  }

  /** Found by the hardening module's fuzzing: the fold then threw on the decoded state. */
  @Test
  void negativeEpochsAndGenerationsAreInvalidValues() {
    InstanceState state =
        Fold.applyAll(
            InstanceState.empty(INSTANCE),
            List.of(
                nicAttached(IpAddr.parse("172.30.0.5")),
                e(new EventPayload.VmmReported(VMM_A, VmmState.RUNNING, 2))));
    InstanceStateCodec codec = new InstanceStateCodec();
    AvroRecordCodec<InstanceStateRecord> avro =
        AvroRecordCodec.forSchema(InstanceStateRecord.getClassSchema());

    InstanceStateRecord epoch = InstanceStateCodec.toAvro(state);
    epoch.getNics().get(0).setIpEpoch(-1L);
    InstanceStateRecord gen = InstanceStateCodec.toAvro(state);
    gen.getVmms().get(0).setGen(-5L);

    assertThatThrownBy(() -> codec.decode(avro.encode(epoch), RecordOrigin.UNKNOWN))
        .isInstanceOf(RecordDecodeException.class)
        .hasMessageContaining("invalid value: field 'nics.ip_epoch': must not be negative, got -1");
    assertThatThrownBy(() -> codec.decode(avro.encode(gen), RecordOrigin.UNKNOWN))
        .hasMessageContaining("field 'vmms.gen': must not be negative, got -5");
  }

  /**
   * A state a newer build wrote (one more field), its schema in {@code v2p.schemas}: this build
   * would read it and write it back without that field, so it refuses it instead. A schema with
   * less than this build's (an older writer's) is read.
   */
  @Test
  void aNewerBuildsStateIsRefused_notReadAndWrittenBackWithoutItsFields() {
    InstanceState state =
        Fold.applyAll(
            InstanceState.empty(INSTANCE), List.of(nicAttached(IpAddr.parse("172.30.0.5"))));
    Schema current = InstanceStateRecord.getClassSchema();
    Schema newer = NextRelease.of(current);
    byte[] bytes =
        NextRelease.encode(newer, InstanceStateCodec.toAvro(state), "kept by the newer build");
    SchemaSource registry =
        fingerprint ->
            fingerprint == SchemaNormalization.parsingFingerprint64(newer) ? newer : null;

    assertThatThrownBy(() -> new InstanceStateCodec(registry).decode(bytes, RecordOrigin.UNKNOWN))
        .isInstanceOf(RecordDecodeException.class)
        .hasMessageContaining("unknown schema")
        .hasMessageContaining(
            "would drop when it writes the value back: [" + NextRelease.FIELD + "]");
    assertThat(
            AvroRecordCodec.<InstanceStateRecord>forSchema(current, registry)
                .decode(bytes, RecordOrigin.UNKNOWN))
        .as("a reader that writes nothing back reads it")
        .isEqualTo(InstanceStateCodec.toAvro(state));
  }

  /**
   * A state written by a v1 projector, read by this build (an upgrade restores the changelog): its
   * open migration's report gens become that migration's registers, and its remembered VMMs lose
   * the active one and the target (v1 remembered every VMM seen).
   */
  @Test
  void aV1StateIsReadAsTheSameFacts() throws Exception {
    InstanceState migrating =
        Fold.applyAll(
            InstanceState.empty(INSTANCE),
            List.of(
                nicAttached(IpAddr.parse("172.30.0.5")),
                e(new EventPayload.VmmPlaced(VMM_A, SLED_1, Ipv6Addr.parse("fd00::1"))),
                e(
                    new EventPayload.MigrationStarted(
                        MIGRATION, VMM_A, VMM_B, SLED_1, Ipv6Addr.parse("fd00::1")))));
    Schema v1 = SchemaHistory.versions("InstanceStateRecord").get(0);
    GenericRecord record = asWrittenBy(v1, InstanceStateCodec.toAvro(migrating));
    GenericRecord open = (GenericRecord) record.get("migration");
    open.put("source_gen", 4L);
    open.put("target_gen", 6L);
    record.put("recent_vmm_ids", List.of(VMM_A.toString(), VMM_B.toString(), LATER_VMM.toString()));
    byte[] bytes =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(record).array();

    InstanceState read = new InstanceStateCodec().decode(bytes, RecordOrigin.UNKNOWN);

    assertThat(read.migration()).isEqualTo(migrating.migration());
    assertThat(read.sideReport(MIGRATION, MigrationSide.SOURCE))
        .isEqualTo(
            new EventPayload.MigrationReported(
                MIGRATION, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 4));
    assertThat(read.sideReport(MIGRATION, MigrationSide.TARGET))
        .isEqualTo(
            new EventPayload.MigrationReported(
                MIGRATION, MigrationSide.TARGET, MigrationState.IN_PROGRESS, 6));
    assertThat(read.pastVmms()).containsExactly(LATER_VMM);
    assertThat(read.nics()).isEqualTo(migrating.nics());
    assertThat(read.location()).isEqualTo(migrating.location());
  }

  private static final VmmId LATER_VMM = VmmId.parse("0000000c-0000-4000-8000-00000000000c");

  /** {@code current} as a record of the older {@code schema}: what it has of it, resolved. */
  private static GenericRecord asWrittenBy(Schema schema, InstanceStateRecord current)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<InstanceStateRecord>(current.getSchema()).write(current, encoder);
    encoder.flush();
    return new GenericDatumReader<GenericRecord>(current.getSchema(), schema)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }

  /** The NIC 1111... (VNI 7777, MAC a8:40:25:f1:6e:6f) attached with {@code ips} at epoch 3. */
  private static InstanceEvent nicAttached(IpAddr... ips) {
    return e(
        new EventPayload.NicAttached(
            NIC, new Vni(7777), MacAddr.parse("a8:40:25:f1:6e:6f"), List.of(ips), 3));
  }

  private static InstanceEvent e(EventPayload payload) {
    return InstanceEvent.of(INSTANCE, payload);
  }
}
