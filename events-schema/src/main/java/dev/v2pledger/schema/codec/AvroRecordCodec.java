package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one generated record type, decoding every writer schema in its
 * {@link SchemaHistory}. Thread-safe.
 *
 * @param <A> the Avro-generated class
 */
public final class AvroRecordCodec<A extends SpecificRecord> implements RecordCodec<A> {
  /** Larger than any record of ours by orders of magnitude; refuse before decoding. */
  public static final int MAX_RECORD_BYTES = 1 << 20;

  private static final int HEADER_BYTES = 10;

  static {
    AvroLimits.install();
  }

  private final Schema schema;
  private final BinaryMessageEncoder<A> encoder;
  private final BinaryMessageDecoder<A> decoder;
  private final Set<Long> knownFingerprints = new HashSet<>();
  private final String fingerprintHex;

  /**
   * A codec that decodes every writer schema of {@code history} (and the current one).
   *
   * @param schema the generated class's schema ({@code X.getClassSchema()})
   * @param model the generated class's model, with its logical-type conversions ({@code
   *     SpecificData.getForSchema(schema)})
   * @param history older writer schemas to accept
   */
  public AvroRecordCodec(Schema schema, SpecificData model, List<Schema> history) {
    this.schema = schema;
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema);
    for (Schema old : history) {
      decoder.addSchema(old);
      knownFingerprints.add(SchemaNormalization.parsingFingerprint64(old));
    }
    long current = SchemaNormalization.parsingFingerprint64(schema);
    knownFingerprints.add(current);
    this.fingerprintHex = hex(current);
  }

  /** A codec for a generated class that decodes every version in its {@link SchemaHistory}. */
  public static <A extends SpecificRecord> AvroRecordCodec<A> forSchema(Schema schema) {
    return new AvroRecordCodec<>(
        schema, SpecificData.getForSchema(schema), SchemaHistory.versions(schema.getName()));
  }

  @Override
  public byte[] encode(A value) {
    try {
      ByteBuffer buffer = encoder.encode(value);
      byte[] out = new byte[buffer.remaining()];
      buffer.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + schema.getName(), e);
    }
  }

  @Override
  public A decode(byte[] bytes, RecordOrigin origin) {
    if (bytes == null) {
      throw new RecordDecodeException(Reason.CORRUPT, origin, "no value (null)");
    }
    if (bytes.length > MAX_RECORD_BYTES) {
      throw new RecordDecodeException(
          Reason.CORRUPT, origin, bytes.length + " bytes is more than " + MAX_RECORD_BYTES);
    }
    if (bytes.length < HEADER_BYTES || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
      throw new RecordDecodeException(
          Reason.CORRUPT, origin, "not Avro single-object encoding (no C3 01 marker)");
    }
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (!knownFingerprints.contains(fingerprint)) {
      throw new RecordDecodeException(
          Reason.UNKNOWN_SCHEMA,
          origin,
          "writer schema fingerprint "
              + hex(fingerprint)
              + " is not a known version of "
              + schema.getFullName());
    }
    try {
      return decoder.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new RecordDecodeException(Reason.UNKNOWN_SCHEMA, origin, e.getMessage(), e);
    } catch (BadHeaderException | SystemLimitException e) {
      throw new RecordDecodeException(Reason.CORRUPT, origin, e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new RecordDecodeException(
          Reason.CORRUPT,
          origin,
          "bytes do not decode as " + schema.getName() + " (" + e.getClass().getSimpleName() + ")",
          e);
    }
  }

  @Override
  public String schemaName() {
    return schema.getFullName();
  }

  @Override
  public String fingerprintHex() {
    return fingerprintHex;
  }

  static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }
}
