package dev.v2pledger.schema.codec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaFormatter;
import org.apache.avro.SchemaNormalization;

/**
 * Releases schema changes: parses {@code src/main/avro} (shared types in {@code common/} first)
 * and, for each record whose current schema differs from its newest released version, writes the
 * next {@code history/<Record>/vN.avsc}. Run it after changing a schema, then run the tests: the
 * evolution guard decides whether the change is compatible.
 *
 * <pre>
 * mvn -q -pl events-schema test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.v2pledger.schema.codec.SchemaHistoryWriter
 * </pre>
 */
public final class SchemaHistoryWriter {
  private static final List<String> RECORDS =
      List.of("InstanceEvent", "V2PMapping", "ApplierAck", "InstanceStateRecord");

  private SchemaHistoryWriter() {}

  public static void main(String[] args) throws IOException {
    Path module = Path.of(args.length > 0 ? args[0] : ".");
    Path avro = module.resolve("src/main/avro");
    Path history = module.resolve("src/main/resources/dev/v2pledger/schema/history");
    Schema.Parser parser = new Schema.Parser();
    try (var common = Files.list(avro.resolve("common"))) {
      for (Path file : common.sorted().toList()) {
        parser.parse(file.toFile());
      }
    }
    for (String record : RECORDS) {
      Schema current = parser.parse(avro.resolve(record + ".avsc").toFile());
      List<Schema> released = SchemaHistory.versions(record);
      boolean unchanged =
          !released.isEmpty()
              && SchemaNormalization.parsingFingerprint64(released.get(released.size() - 1))
                  == SchemaNormalization.parsingFingerprint64(current);
      if (unchanged) {
        continue;
      }
      Path file = history.resolve(record).resolve("v" + (released.size() + 1) + ".avsc");
      Files.createDirectories(file.getParent());
      Files.writeString(file, SchemaFormatter.format("json/pretty", current) + "\n");
      System.out.println("wrote " + file);
    }
  }
}
