package dev.v2pledger.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kafka.tools.StorageTool;

/**
 * Formats a node's log directories the way {@code kafka-storage.sh format} does, by calling Kafka's
 * own {@link StorageTool}: {@code format --standalone --ignore-formatted -t <cluster id> -c
 * <properties file>}. {@code --standalone} makes this node the only voter of a dynamic KRaft
 * quorum; it is left out when the properties name a static quorum ({@code
 * controller.quorum.voters}, as {@link ProcessCluster}'s nodes do); {@code --ignore-formatted}
 * leaves already formatted directories (and their cluster id) alone.
 */
final class StorageFormatter {

  private StorageFormatter() {}

  /**
   * Writes {@code props} to {@code propertiesFile} and formats the directories it names.
   *
   * @param extraArguments further {@code format} arguments, e.g. {@code --add-scram ...}
   * @throws IllegalStateException with the tool's output if formatting fails
   */
  static void format(
      Properties props, Path propertiesFile, String clusterId, List<String> extraArguments) {
    write(props, propertiesFile);
    List<String> args = new ArrayList<>(List.of("format"));
    if (!props.containsKey(BrokerProperties.QUORUM_VOTERS)) {
      args.add("--standalone");
    }
    args.addAll(List.of("--ignore-formatted", "-t", clusterId, "-c", propertiesFile.toString()));
    args.addAll(extraArguments);
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      status = StorageTool.execute(args.toArray(String[]::new), out);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "kafka-storage format failed: " + e.getMessage() + "\n" + text(output), e);
    }
    if (status != 0) {
      throw new IllegalStateException(
          "kafka-storage format exited with " + status + ":\n" + text(output));
    }
  }

  private static void write(Properties props, Path file) {
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "embedded Kafka broker");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String text(ByteArrayOutputStream output) {
    return output.toString(StandardCharsets.UTF_8);
  }
}
