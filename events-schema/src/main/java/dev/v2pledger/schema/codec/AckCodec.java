package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.SledId;

/** {@link ApplierAck} as Avro single-object bytes: the value format of {@code v2p.acks}. */
public final class AckCodec extends DomainCodec<dev.v2pledger.schema.avro.ApplierAck, ApplierAck> {

  public AckCodec() {
    this(SchemaSource.none());
  }

  /** A codec that also reads the compatible writer schemas {@code source} knows. */
  public AckCodec(SchemaSource source) {
    super(
        dev.v2pledger.schema.avro.ApplierAck.getClassSchema(),
        source,
        AckCodec::toAvro,
        AckCodec::fromAvro);
  }

  static dev.v2pledger.schema.avro.ApplierAck toAvro(ApplierAck ack) {
    return new dev.v2pledger.schema.avro.ApplierAck(
        ack.sledId().toString(), ack.partition(), ack.appliedThroughOffset(), ack.time());
  }

  static ApplierAck fromAvro(dev.v2pledger.schema.avro.ApplierAck record) {
    return new ApplierAck(
        Fields.parse("sled_id", record.getSledId(), SledId::parse),
        (int) Fields.nonNegative("partition", record.getPartition()),
        Fields.nonNegative("applied_through_offset", record.getAppliedThroughOffset()),
        record.getTime());
  }
}
