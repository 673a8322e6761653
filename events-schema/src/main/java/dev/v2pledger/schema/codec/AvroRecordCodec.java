package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.jspecify.annotations.Nullable;

/**
 * Avro single-object encoding of one generated record type. Decodes every writer schema of its
 * {@link SchemaHistory} and, through Avro schema resolution, any compatible writer schema its
 * {@link SchemaSource} knows (a newer version registered in {@code v2p.schemas}), into the schema
 * it was built with. Thread-safe.
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
  private final SpecificData model;
  private final BinaryMessageEncoder<A> encoder;
  private final SchemaSource source;
  private final boolean refuseLoss;
  private final Map<Long, SpecificDatumReader<A>> readers = new ConcurrentHashMap<>();
  private final Map<Long, String> released = new LinkedHashMap<>();
  private final String fingerprintHex;

  /**
   * A codec that decodes every writer schema of {@code history} (and the current one), and the
   * compatible ones {@code source} knows.
   *
   * @param schema the generated class's schema ({@code X.getClassSchema()})
   * @param model the generated class's model, with its logical-type conversions ({@code
   *     SpecificData.getForSchema(schema)})
   * @param history older writer schemas to accept
   */
  public AvroRecordCodec(
      Schema schema, SpecificData model, List<Schema> history, SchemaSource source) {
    this(schema, model, history, source, false);
  }

  /**
   * As above; with {@code refuseLoss}, a writer schema from {@code source} that has fields or
   * symbols this build's lacks is refused ({@link SchemaLoss}): for a reader that writes the value
   * back, and would drop them for good.
   */
  public AvroRecordCodec(
      Schema schema,
      SpecificData model,
      List<Schema> history,
      SchemaSource source,
      boolean refuseLoss) {
    this.schema = schema;
    this.model = model;
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.source = source;
    this.refuseLoss = refuseLoss;
    int version = 0;
    for (Schema old : history) {
      long fingerprint = SchemaNormalization.parsingFingerprint64(old);
      readers.put(fingerprint, new SpecificDatumReader<>(old, schema, model));
      released.put(fingerprint, "v" + ++version);
    }
    long current = SchemaNormalization.parsingFingerprint64(schema);
    readers.putIfAbsent(current, new SpecificDatumReader<>(schema, schema, model));
    released.putIfAbsent(current, "this build's");
    this.fingerprintHex = hex(current);
  }

  public AvroRecordCodec(Schema schema, SpecificData model, List<Schema> history) {
    this(schema, model, history, SchemaSource.none());
  }

  /** A codec for a generated class that decodes every version in its {@link SchemaHistory}. */
  public static <A extends SpecificRecord> AvroRecordCodec<A> forSchema(Schema schema) {
    return forSchema(schema, SchemaSource.none());
  }

  /** As {@link #forSchema(Schema)}, and the compatible writer schemas {@code source} knows. */
  public static <A extends SpecificRecord> AvroRecordCodec<A> forSchema(
      Schema schema, SchemaSource source) {
    return forSchema(schema, source, false);
  }

  /** As {@link #forSchema(Schema, SchemaSource)}; {@code refuseLoss} as in the constructor. */
  public static <A extends SpecificRecord> AvroRecordCodec<A> forSchema(
      Schema schema, SchemaSource source, boolean refuseLoss) {
    return new AvroRecordCodec<>(
        schema,
        SpecificData.getForSchema(schema),
        SchemaHistory.versions(schema.getName()),
        source,
        refuseLoss);
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
    SpecificDatumReader<A> reader = readers.get(fingerprint);
    if (reader == null) {
      reader = fromSource(fingerprint, origin);
    }
    try {
      BinaryDecoder in =
          DecoderFactory.get()
              .binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
      A record = reader.read(null, in);
      if (!in.isEnd()) { // the header names another schema than the bytes', or they are damaged
        throw new RecordDecodeException(
            Reason.CORRUPT,
            origin,
            leftover(in)
                + " bytes after the "
                + schema.getName()
                + " record: the bytes were not written with the schema their header names");
      }
      return record;
    } catch (RecordDecodeException e) {
      throw e;
    } catch (SystemLimitException e) {
      throw new RecordDecodeException(Reason.CORRUPT, origin, e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new RecordDecodeException(
          Reason.CORRUPT,
          origin,
          "bytes do not decode as " + schema.getName() + " (" + e.getClass().getSimpleName() + ")",
          e);
    }
  }

  private static long leftover(BinaryDecoder in) throws IOException {
    return in.inputStream().skip(Long.MAX_VALUE);
  }

  /** The writer schema of an unknown fingerprint from the source, if it has a compatible one. */
  private SpecificDatumReader<A> fromSource(long fingerprint, RecordOrigin origin) {
    Schema writer;
    try {
      writer = source.find(fingerprint);
    } catch (RuntimeException e) { // kept as the cause: a lookup that timed out is transient
      throw unknown(fingerprint, origin, source.name() + " cannot be read: " + e.getMessage(), e);
    }
    if (writer == null) {
      String unreadable = source.unreadableEntry(fingerprint);
      throw unknown(
          fingerprint,
          origin,
          unreadable == null
              ? "nor is it registered in " + source.name()
              : "and the entry under it in "
                  + source.name()
                  + " is not a schema ("
                  + unreadable
                  + "): register the writer schema's JSON under it again");
    }
    var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(schema, writer);
    if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
      throw unknown(
          fingerprint,
          origin,
          "the schema registered under it in "
              + source.name()
              + " ("
              + writer.getFullName()
              + ") cannot be read as this build's: "
              + compatibility.getDescription());
    }
    List<String> lost = refuseLoss ? SchemaLoss.of(writer, schema) : List.of();
    if (!lost.isEmpty()) {
      throw unknown(
          fingerprint,
          origin,
          "the schema registered under it in "
              + source.name()
              + " (a newer build's) has what this build would drop when it writes the value back: "
              + lost
              + "; run a build that knows it");
    }
    SpecificDatumReader<A> reader = new SpecificDatumReader<>(writer, schema, model);
    readers.put(fingerprint, reader);
    return reader;
  }

  private RecordDecodeException unknown(long fingerprint, RecordOrigin origin, String why) {
    return unknown(fingerprint, origin, why, null);
  }

  private RecordDecodeException unknown(
      long fingerprint, RecordOrigin origin, String why, @Nullable Throwable cause) {
    StringBuilder known = new StringBuilder();
    released.forEach(
        (fp, label) ->
            known
                .append(known.length() == 0 ? "" : ", ")
                .append(label)
                .append(' ')
                .append(hex(fp)));
    return new RecordDecodeException(
        Reason.UNKNOWN_SCHEMA,
        origin,
        "writer schema fingerprint "
            + hex(fingerprint)
            + " is not a version of "
            + schema.getFullName()
            + " this build knows ("
            + known
            + "), "
            + why,
        cause);
  }

  @Override
  public String schemaName() {
    return schema.getFullName();
  }

  @Override
  public String fingerprintHex() {
    return fingerprintHex;
  }

  /** The schema this codec writes and reads into. */
  public Schema schema() {
    return schema;
  }

  /** A fingerprint as the key of {@code v2p.schemas}: 16 lowercase hex digits, unsigned. */
  public static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }
}
