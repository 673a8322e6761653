package dev.v2pledger.replay.cli;

import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.report.Progress;
import dev.v2pledger.replay.source.EventSource;
import dev.v2pledger.replay.source.JsonlEventSource;
import dev.v2pledger.replay.source.KafkaEventSource;
import dev.v2pledger.replay.source.StopPoint;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.AckIndex;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.Values;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where events come from and where the replay stops; shared by the commands that replay. */
public final class SourceOptions {
  @Mixin KafkaAccessOptions kafka = new KafkaAccessOptions();

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--from-file",
      paramLabel = "FILE.jsonl",
      description = "Replay a JSON-lines export instead of Kafka (file order = log order).")
  @Nullable Path fromFile;

  @Option(
      names = "--until-offset",
      paramLabel = "P:O[,P:O...]",
      description =
          "Stop after these offsets of these partitions (included); every partition not named is read to"
              + " its end (from Kafka, its end when the replay started). For a file without positions,"
              + " a line number.")
  @Nullable String untilOffset;

  @Option(
      names = "--until-time",
      paramLabel = "RFC3339",
      description = "Stop after events logged at or before this time.")
  @Nullable String untilTime;

  /** Whether a Kafka cluster is configured (flag, file or environment). */
  boolean hasKafka() {
    return kafka.given();
  }

  KafkaAccess kafka() {
    return kafka.access();
  }

  StopPoint stop() {
    return StopPoint.parse(untilOffset, untilTime);
  }

  /**
   * The file if {@code --from-file} is given, else Kafka; neither is a usage error, and so is a
   * cluster typed on the command line beside a file, for a command that would not read it.
   */
  EventSource source() {
    refuseUnreadCluster();
    return eventSource();
  }

  /**
   * {@link #source()} for a command that reads the cluster beside a file ({@code verify} compares
   * with its topic).
   */
  EventSource eventSource() {
    if (fromFile != null) {
      return new JsonlEventSource(fromFile, stop());
    }
    if (!hasKafka()) {
      throw new UsageException("give --from-file FILE.jsonl or --bootstrap-servers HOST:PORT");
    }
    return new KafkaEventSource(kafka(), stop());
  }

  /**
   * Refuses {@code --bootstrap-servers} or {@code --kafka-config} typed beside {@code --from-file}
   * (not those from the environment or a config file): the command reads the file only, and would
   * leave the cluster unread without a word.
   */
  void refuseUnreadCluster() {
    if (fromFile == null || command == null || command.commandLine() == null) {
      return;
    }
    CommandLine.ParseResult parsed = command.commandLine().getParseResult();
    for (String option : new String[] {"--bootstrap-servers", "--kafka-config"}) {
      if (parsed != null && parsed.hasMatchedOption(option)) {
        throw new UsageException(
            "--from-file and "
                + option
                + " name two sources, and only the file would be read:"
                + " give one");
      }
    }
  }

  /**
   * Says on {@code err} how many records of {@code events} were refused as the projector refuses
   * them (and so not folded), by reason: nothing when none was.
   */
  static void reportRefused(EventSource events, PrintWriter err, String command) {
    reportTruncated(events, err, command);
    reportDeadLettered(events, err, command);
    if (events.undecodable() > 0) {
      err.println(
          command
              + ": "
              + events.undecodable()
              + " record(s) of "
              + events.describe()
              + " were refused as the projector refuses them and not folded "
              + (events.refusedByReason().isEmpty() ? "" : events.refusedByReason() + " ")
              + "(see v2p.events.dlq)"
              + (events.refusedPositions().isEmpty()
                  ? ""
                  : "; first: "
                      + events.refusedPositions().stream()
                          .limit(3)
                          .map(p -> Values.printable(p, 200))
                          .collect(Collectors.joining("; "))));
      err.flush();
    }
  }

  /**
   * One line on {@code err} for the events this build admits that the projector dead-lettered (left
   * out: the projector folded none of them), one for what the source cannot tell of them, and one
   * for letters whose record is not there any more (they left nothing out).
   */
  static void reportDeadLettered(EventSource events, PrintWriter err, String command) {
    long count = events.deadLettered().values().stream().mapToLong(Long::longValue).sum();
    if (count > 0) {
      err.println(
          command
              + ": "
              + count
              + " event(s) of "
              + events.describe()
              + " decode here but the projector dead-lettered them "
              + events.deadLettered()
              + " (see "
              + Topics.EVENTS_DLQ
              + "): not folded, as the projector folded none of them; first: "
              + String.join(", ", events.deadLetteredPositions().stream().limit(3).toList()));
    }
    String unknown = events.deadLettersUnknown();
    if (unknown != null) {
      err.println(command + ": " + Values.printable(unknown, 400));
    }
    String stale = events.staleLetters();
    if (stale != null) {
      err.println(command + ": note: " + stale);
    }
    err.flush();
  }

  /**
   * One line on {@code err} for records of {@code v2p.mappings} that appliers hold (they do not
   * decode, or are not under their own key), which have no arrival here, and one for acks of {@code
   * v2p.acks} that do not decode: the sleds that wrote them may look as if they had not applied
   * records they had. Nothing when every record was read.
   */
  static void reportUndecodable(
      ProjectedTopic topic, AckIndex acks, PrintWriter err, String command) {
    if (topic.undecodable() > 0) {
      err.println(
          command
              + ": "
              + topic.undecodable()
              + " record(s) of "
              + Topics.MAPPINGS
              + " do not decode or are not under their own key (every applier holds them); their"
              + " arrivals are not shown");
      err.flush();
    }
    if (acks.undecodable() > 0) {
      err.println(
          command
              + ": "
              + acks.undecodable()
              + " record(s) of "
              + Topics.ACKS
              + " do not decode and cover nothing here, so the sleds that wrote them may show"
              + " records as not applied; first: "
              + Values.printable(String.valueOf(acks.firstUndecodable()), 300));
      err.flush();
    }
  }

  /**
   * One warning line when partitions of {@code v2p.events} no longer start at offset 0: the events
   * deleted there are not folded, and the replay may differ from what the projector folded.
   */
  static void reportTruncated(EventSource events, PrintWriter err, String command) {
    reportTruncated(
        events.truncatedStarts(),
        events.describe(),
        "the fold may miss those events",
        err,
        command);
  }

  /**
   * One warning line when partitions of {@code v2p.events} ({@code described}) no longer start at
   * offset 0 ({@code starts}, by partition), saying what that means for the command ({@code
   * consequence}); nothing when none.
   */
  static void reportTruncated(
      Map<Integer, Long> starts,
      String described,
      String consequence,
      PrintWriter err,
      String command) {
    if (!starts.isEmpty()) {
      StringBuilder where = new StringBuilder();
      starts.forEach(
          (partition, start) ->
              where
                  .append(where.length() == 0 ? "" : ", ")
                  .append(partition)
                  .append(" (from ")
                  .append(start)
                  .append(')'));
      err.println(
          command
              + ": warning: "
              + described
              + " no longer starts at offset 0 in partition(s) "
              + where
              + ": records there were deleted (retention or deleteRecords), and "
              + consequence);
      err.flush();
    }
  }

  /**
   * Says on {@code err} that nothing was folded, when nothing was: an answer of nothing (no
   * instance, no mapping) reads otherwise like a rack with nothing mapped, and a cut before the
   * first event (a mistyped year) or an empty file (a failed copy) would pass unseen.
   */
  void noteIfNothingFolded(Replayer replayer, EventSource events, PrintWriter err, String command) {
    if (replayer.events() > 0) {
      return;
    }
    String cut =
        untilTime != null
            ? " at or before --until-time " + untilTime
            : untilOffset != null ? " up to --until-offset " + untilOffset : "";
    err.println(command + ": note: no event was folded: " + events.describe() + " has none" + cut);
    err.flush();
  }

  /**
   * Replays {@code source} into {@code replayer}, with a progress bar when stderr is a terminal.
   */
  static void replay(EventSource source, Replayer replayer) {
    long[] count = {0};
    try (Progress progress =
        Progress.onStderr(
            source instanceof JsonlEventSource file ? file::fractionRead : () -> -1)) {
      source.forEach(
          event -> {
            replayer.accept(event);
            progress.tick(++count[0]);
            return true;
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
