package dev.v2pledger.replay.cli;

import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.jsonl.JsonlEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.publish.EventPublisher;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
    validate();
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
    Published published = publish(kafka, kafka.partitions(Topics.EVENTS).size());
    spec.commandLine()
        .getOut()
        .printf(
            "published %,d event(s) from %s to %s on %s%n",
            published.sent(), fromFile, Topics.EVENTS, kafka.bootstrapServers());
    if (published.misrouted() > 0) {
      spec.commandLine()
          .getOut()
          .printf(
              "%,d of them sat in another partition than their key's in the log they were exported"
                  + " from (misrouted there, so that projector dead-lettered them); here each went"
                  + " to its key's partition%n",
              published.misrouted());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * What a publish did: events sent, and how many of them sat in another partition than their key's
   * in the exported log (counted only when that log had no more partitions than this one).
   */
  private record Published(long sent, long misrouted) {}

  /**
   * Reads the file a second time, now sending every event in file order through the shared
   * publisher (the README's contract in Java), then waits for every acknowledgement: the file is
   * never held in memory. A failure is the command's one-line error: bad settings exit 2, anything
   * else 1.
   */
  private Published publish(KafkaAccess kafka, int partitions) throws IOException {
    long misrouted = 0;
    int highest = -1;
    try (JsonlReader lines = open();
        EventPublisher publisher =
            new EventPublisher(kafka.clientConfig(), "replay-tool-publish", kafka.timeout())) {
      while (lines.hasNext()) {
        JsonlEvent line = lines.next();
        publisher.publish(line.event());
        if (line.position() != null) {
          highest = Math.max(highest, line.position().partition());
          if (line.position().partition()
              != Partitioning.partitionOf(line.event().key(), partitions)) {
            misrouted++;
          }
        }
      }
      publisher.flush();
      return new Published(publisher.sent(), highest < partitions ? misrouted : 0);
    } catch (JsonlException e) { // validated before: the file changed meanwhile
      throw new UsageException(fromFile + ": " + e.getMessage() + " (it changed while published)");
    } catch (UsageException e) {
      throw e;
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

  /** Reads the whole file once, keeping nothing: its first bad line is the command's error. */
  private void validate() throws IOException {
    try (JsonlReader lines = open()) {
      while (lines.hasNext()) {
        lines.next();
      }
    } catch (JsonlException e) {
      throw new UsageException(fromFile + ": " + e.getMessage() + " (nothing was published)");
    }
  }

  private JsonlReader open() throws IOException {
    try {
      return JsonlReader.open(fromFile);
    } catch (NoSuchFileException e) {
      throw new UsageException("cannot read " + fromFile + ": no such file");
    }
  }
}
