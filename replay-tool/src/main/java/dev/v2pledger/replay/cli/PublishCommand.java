package dev.v2pledger.replay.cli;

import dev.v2pledger.replay.source.NarrowedFileSource;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.runtime.time.Durations;
import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.jsonl.JsonlEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.publish.EventPublisher;
import dev.v2pledger.schema.registry.SchemaRegistration.NotRegisteredException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    header = "Publishes a JSON-lines file onto a (test) cluster's v2p.events.",
    description = {
      "Publishes a JSON-lines file onto a (test) cluster's v2p.events, in file order, key ="
          + " instance id, with an idempotent producer, to reproduce an incident or seed a cluster.",
      "The whole file is validated before anything is sent.",
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
    try (FileChannel file = open()) { // both passes read this one open file, whatever the path
      long validated = validate(file);
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
      file.position(0);
      Published published = publish(kafka, file, kafka.partitions(Topics.EVENTS).size());
      if (published.sent() != validated) {
        throw changed(published.sent(), "it has " + published.sent() + " event(s) now");
      }
      spec.commandLine()
          .getOut()
          .printf(
              "published %,d event(s) from %s to %s on %s%n",
              published.sent(), fromFile, Topics.EVENTS, kafka.bootstrapServers());
      if (published.misrouted() > 0) {
        spec.commandLine()
            .getOut()
            .printf(
                "%,d of them sat in another partition than their key's in the log they were"
                    + " exported from (misrouted there, so that projector dead-lettered them); here"
                    + " each went to its key's partition%n",
                published.misrouted());
      }
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
   * else 1 (also a file that changed since it was validated: some events may be published then).
   */
  private Published publish(KafkaAccess kafka, FileChannel file, int partitions) {
    long misrouted = 0;
    int highest = -1;
    JsonlReader lines = JsonlReader.of(Channels.newInputStream(file)); // closed with the file
    try (EventPublisher publisher =
        new EventPublisher(kafka.clientConfig(), "replay-tool-publish", kafka.timeout())) {
      while (true) {
        JsonlEvent line;
        try {
          if (!lines.hasNext()) {
            break;
          }
          line = lines.next();
        } catch (JsonlException | UncheckedIOException e) {
          publisher.flush();
          throw changed(publisher.sent(), e.getMessage());
        }
        try { // a registry that does not answer is tried again for --timeout
          publisher.publish(line.event(), kafka.timeout());
        } catch (EventPublisher.PublishException e) {
          if (KafkaErrors.cause(e, NotRegisteredException.class) != null) {
            throw registryStalled(kafka, publisher.sent(), e);
          }
          throw e;
        }
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
          Cli.EXIT_FAILURE);
    }
  }

  /**
   * {@code v2p.schemas} did not take the event schema within {@code --timeout} (tried again until
   * then): exit 2, as for a cluster that does not answer; {@code sent} events went before it.
   */
  private UsageException registryStalled(KafkaAccess kafka, long sent, RuntimeException error) {
    return new UsageException(
        "cannot register the event schema in "
            + Topics.SCHEMAS
            + " on "
            + kafka.bootstrapServers()
            + " within "
            + Durations.readable(kafka.timeout())
            + " ("
            + Cli.oneLine(KafkaErrors.rootMessage(error))
            + "); "
            + sent
            + " event(s) of "
            + fromFile
            + " were sent before it",
        Cli.EXIT_USAGE);
  }

  /** The file changed after it was validated: {@code sent} events of it are published. */
  private UsageException changed(long sent, String what) {
    return new UsageException(
        fromFile
            + " changed after it was validated ("
            + Cli.oneLine(what)
            + "); "
            + sent
            + " event(s) of it were published",
        Cli.EXIT_FAILURE);
  }

  /** Reads the whole file once, keeping nothing; returns its events' count. */
  private long validate(FileChannel file) throws IOException {
    JsonlReader lines = JsonlReader.of(Channels.newInputStream(file)); // closed with the file
    long events = 0;
    try {
      while (lines.hasNext()) {
        lines.next();
        events++;
      }
    } catch (JsonlException e) {
      throw new UsageException(fromFile + ": " + e.getMessage() + " (nothing was published)");
    }
    return events;
  }

  private FileChannel open() {
    NarrowedFileSource.checkReadable(fromFile);
    if (!Files.isRegularFile(fromFile)) { // checked before opening: a FIFO's open waits
      throw new UsageException(
          "cannot publish from "
              + fromFile
              + ": it is not a regular file (a pipe?), and publish reads its file twice, to"
              + " validate it and then to send it: save it to a file first");
    }
    try {
      return FileChannel.open(fromFile, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UsageException(
          "cannot read " + fromFile + ": " + UsageException.describeFileError(e));
    }
  }
}
