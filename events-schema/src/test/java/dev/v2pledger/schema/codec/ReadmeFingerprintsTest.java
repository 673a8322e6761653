package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.Partitioning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/** The README's publisher contract names every released fingerprint, and names it right. */
class ReadmeFingerprintsTest {

  @Test
  void everyReleasedVersionsFingerprintIsInTheReadme() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (String record : SchemaHistory.RECORDS) {
      int version = 0;
      for (Schema schema : SchemaHistory.versions(record)) {
        version++;
        String hex = AvroRecordCodec.hex(SchemaNormalization.parsingFingerprint64(schema));
        assertThat(readme).as("%s v%d", record, version).contains("v" + version + " `" + hex + "`");
      }
    }
  }

  @Test
  void theReadmesPartitionExampleIsWhatTheProjectorComputes() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int partition = Partitioning.partitionOf("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6", 6);

    assertThat(readme)
        .contains(
            "key `8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6` belongs in partition "
                + partition
                + " of 6");
  }
}
