package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * A domain type as Avro single-object bytes: the Avro codec of its generated class, plus the
 * mapping to and from the validated domain record. A decoded record whose values break a domain
 * rule is one {@link RecordDecodeException} with reason {@code INVALID_VALUE} naming the field. The
 * base of every codec of v2p-ledger's topics.
 *
 * @param <A> the Avro-generated class
 * @param <D> the domain type
 */
public class DomainCodec<A extends SpecificRecord, D> implements RecordCodec<D> {
  private final AvroRecordCodec<A> avro;
  private final Function<D, A> toAvro;
  private final Function<A, D> fromAvro;

  protected DomainCodec(
      Schema schema, SchemaSource source, Function<D, A> toAvro, Function<A, D> fromAvro) {
    this(schema, source, false, toAvro, fromAvro);
  }

  /** With {@code refuseLoss}: see {@link AvroRecordCodec}'s constructor. */
  protected DomainCodec(
      Schema schema,
      SchemaSource source,
      boolean refuseLoss,
      Function<D, A> toAvro,
      Function<A, D> fromAvro) {
    this.avro = AvroRecordCodec.forSchema(schema, source, refuseLoss);
    this.toAvro = toAvro;
    this.fromAvro = fromAvro;
  }

  @Override
  public final byte[] encode(D value) {
    return avro.encode(toAvro.apply(value));
  }

  @Override
  public final D decode(byte[] bytes, RecordOrigin origin) {
    A record = avro.decode(bytes, origin);
    try {
      return fromAvro.apply(record);
    } catch (IllegalArgumentException e) {
      throw new RecordDecodeException(Reason.INVALID_VALUE, origin, e.getMessage(), e);
    }
  }

  @Override
  public final String schemaName() {
    return avro.schemaName();
  }

  @Override
  public final String fingerprintHex() {
    return avro.fingerprintHex();
  }

  /** The writer schema of this build, as registered in {@code v2p.schemas}. */
  public final Schema schema() {
    return avro.schema();
  }
}
