package dev.v2pledger.replay.cli;

import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.jsonl.JsonlEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.publish.EventPublisher;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes a JSON-lines file onto a (test) cluster's v2p.events, in file order, key = instance id, with an idempotent producer,",
      "to reproduce an incident or seed a cluster. The whole file is validated before anything is sent.",
      "Refuses a v2p.events that already holds records unless --append is given."
    })
final class PublishCommand implements Callable<Integer> {
  @Option(
      names = "--from-file",
      required = true,
      paramLabel = "FILE.jsonl",
      description = "The events to publish.")
  Path fromFile;

  @Mixin KafkaAccessOptions kafkaOptions = new KafkaAccessOptions();

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Option(names = "--append", description = "Publish even if v2p.events already holds records.")
  boolean append;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<JsonlEvent> lines = validated();
    List<InstanceEvent> events = lines.stream().map(JsonlEvent::event).toList();
    KafkaAccess kafka = kafkaOptions.access();
    if (!append) {
      long[] existing = {0};
      kafka.readToEnd(Topics.EVENTS, record -> ++existing[0] < 1);
      if (existing[0] > 0) {
        throw new UsageException(
            Topics.EVENTS
                + " on "
                + kafka.bootstrapServers()
                + " already holds records; use --append to add to them");
      }
    }
    long sent = publish(kafka, events);
    spec.commandLine()
        .getOut()
        .printf(
            "published %,d event(s) from %s to %s on %s%n",
            sent, fromFile, Topics.EVENTS, kafka.bootstrapServers());
    long misrouted = misrouted(lines, kafka.partitions(Topics.EVENTS).size());
    if (misrouted > 0) {
      spec.commandLine()
          .getOut()
          .printf(
              "%,d of them sat in another partition than their key's in the log they were exported"
                  + " from (misrouted there, so that projector dead-lettered them); here each went"
                  + " to its key's partition%n",
              misrouted);
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * Sends every event in file order through the shared publisher (the README's contract in Java),
   * then waits for every acknowledgement; returns how many were sent. A failure is the command's
   * one-line error: bad settings exit 2, anything else 1.
   */
  private static long publish(KafkaAccess kafka, List<InstanceEvent> events) {
    try (EventPublisher publisher =
        new EventPublisher(kafka.clientConfig(), "replay-tool-publish", kafka.timeout())) {
      for (InstanceEvent event : events) {
        publisher.publish(event);
      }
      publisher.flush();
      return publisher.sent();
    } catch (RuntimeException error) {
      if (KafkaErrors.configError(error) != null) {
        throw kafka.failed("publishing to " + Topics.EVENTS, error);
      }
      throw new UsageException(
          "publishing to "
              + kafka.bootstrapServers()
              + " failed: "
              + KafkaErrors.rootMessage(error),
          dev.v2pledger.runtime.cli.Cli.EXIT_FAILURE);
    }
  }

  /**
   * Lines whose exported position is not their key's partition, when the file comes from a topic of
   * as many partitions as this one ({@code partitions}); 0 when it cannot tell.
   */
  private static long misrouted(List<JsonlEvent> lines, int partitions) {
    int highest =
        lines.stream()
            .filter(line -> line.position() != null)
            .mapToInt(line -> line.position().partition())
            .max()
            .orElse(-1);
    if (highest < 0 || highest >= partitions) {
      return 0;
    }
    return lines.stream()
        .filter(
            line ->
                line.position() != null
                    && line.position().partition()
                        != Partitioning.partitionOf(line.event().key(), partitions))
        .count();
  }

  private List<JsonlEvent> validated() throws IOException {
    try {
      return JsonlReader.readAll(fromFile);
    } catch (NoSuchFileException e) {
      throw new UsageException("cannot read " + fromFile + ": no such file");
    } catch (JsonlException e) {
      throw new UsageException(fromFile + ": " + e.getMessage() + " (nothing was published)");
    }
  }
}
