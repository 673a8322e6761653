package dev.v2pledger.schema.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every schema version ever released for a record type, kept in this module's resources at {@code
 * dev/v2pledger/schema/history/<Record>/v<N>.avsc} (v1, v2, ... without gaps). Decoders register
 * them all, so a record written by an older producer still decodes; a build test checks that the
 * current schema is compatible both ways with every version here, and is one of them.
 */
public final class SchemaHistory {
  private static final String ROOT = "/dev/v2pledger/schema/history/";

  /** The record types of v2p-ledger's topics, by simple name. */
  public static final List<String> RECORDS =
      List.of("InstanceEvent", "V2PMapping", "ApplierAck", "InstanceStateRecord");

  private SchemaHistory() {}

  /** Every released version of every record type: what {@code init-topics} registers. */
  public static List<Schema> allReleased() {
    List<Schema> all = new ArrayList<>();
    RECORDS.forEach(name -> all.addAll(versions(name)));
    return List.copyOf(all);
  }

  /**
   * Whether {@code schema} is the first released version of its record: a reader of any release
   * knows it without {@code v2p.schemas}. A later version needs the registry for readers released
   * before it.
   */
  public static boolean isFirstRelease(Schema schema) {
    List<Schema> versions = versions(schema.getName());
    return !versions.isEmpty()
        && SchemaNormalization.parsingFingerprint64(versions.get(0))
            == SchemaNormalization.parsingFingerprint64(schema);
  }

  /**
   * The released versions of {@code recordName} (simple name, e.g. {@code InstanceEvent}), oldest
   * first.
   */
  public static List<Schema> versions(String recordName) {
    List<Schema> versions = new ArrayList<>();
    for (int n = 1; ; n++) {
      String path = ROOT + recordName + "/v" + n + ".avsc";
      try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
        if (in == null) {
          return List.copyOf(versions);
        }
        versions.add(new Schema.Parser().parse(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema history " + path, e);
      }
    }
  }
}
