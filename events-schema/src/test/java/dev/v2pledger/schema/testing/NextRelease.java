package dev.v2pledger.schema.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * A compatible schema change as a next release would make it: one more optional field. Writes
 * records with it as single-object bytes, the way a newer writer (a projector or publisher deployed
 * before its readers) does, so tests can play either upgrade order.
 */
public final class NextRelease {
  /** The name of the field a next release adds. */
  public static final String FIELD = "added_in_next_release";

  private NextRelease() {}

  /** {@code schema} with {@link #FIELD}: {@code ["null", "string"]}, default null. */
  public static Schema of(Schema schema) {
    return of(schema, FIELD);
  }

  /** {@code schema} with an optional string field named {@code field} (another fingerprint). */
  public static Schema of(Schema schema, String field) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field existing : schema.getFields()) {
      fields.add(new Schema.Field(existing, existing.schema()));
    }
    fields.add(
        new Schema.Field(
            field,
            Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
            "added by a compatible change",
            Schema.Field.NULL_DEFAULT_VALUE));
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  /** {@code record} written with {@code next} (made by {@link #of}), the added field set. */
  public static byte[] encode(Schema next, SpecificRecord record, String added) {
    GenericData.Record copy = new GenericData.Record(next);
    for (Schema.Field field : record.getSchema().getFields()) {
      copy.put(field.name(), record.get(field.pos()));
    }
    copy.put(next.getFields().get(next.getFields().size() - 1).name(), added);
    SpecificData model = SpecificData.getForSchema(record.getSchema());
    try {
      ByteBuffer buffer = new BinaryMessageEncoder<GenericData.Record>(model, next).encode(copy);
      byte[] out = new byte[buffer.remaining()];
      buffer.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
