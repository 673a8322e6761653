package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.SledId;

/** {@link ApplierAck} as Avro single-object bytes: the value format of {@code v2p.acks}. */
public final class AckCodec implements RecordCodec<ApplierAck> {
  private final AvroRecordCodec<dev.v2pledger.schema.avro.ApplierAck> avro =
      AvroRecordCodec.forSchema(dev.v2pledger.schema.avro.ApplierAck.getClassSchema());

  @Override
  public byte[] encode(ApplierAck ack) {
    return avro.encode(
        new dev.v2pledger.schema.avro.ApplierAck(
            ack.sledId().toString(), ack.partition(), ack.appliedThroughOffset(), ack.time()));
  }

  @Override
  public ApplierAck decode(byte[] bytes, RecordOrigin origin) {
    dev.v2pledger.schema.avro.ApplierAck record = avro.decode(bytes, origin);
    try {
      return new ApplierAck(
          Fields.parse("sled_id", record.getSledId(), SledId::parse),
          (int) Fields.nonNegative("partition", record.getPartition()),
          Fields.nonNegative("applied_through_offset", record.getAppliedThroughOffset()),
          record.getTime());
    } catch (IllegalArgumentException e) {
      throw new RecordDecodeException(Reason.INVALID_VALUE, origin, e.getMessage(), e);
    }
  }

  @Override
  public String schemaName() {
    return avro.schemaName();
  }

  @Override
  public String fingerprintHex() {
    return avro.fingerprintHex();
  }
}
