package dev.v2pledger.replay.cli;

import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.report.Progress;
import dev.v2pledger.replay.source.EventSource;
import dev.v2pledger.replay.source.JsonlEventSource;
import dev.v2pledger.replay.source.KafkaEventSource;
import dev.v2pledger.replay.source.StopPoint;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where events come from and where the replay stops; shared by the commands that replay. */
public final class SourceOptions {
  @Mixin KafkaAccessOptions kafka = new KafkaAccessOptions();

  @Option(
      names = "--from-file",
      paramLabel = "FILE.jsonl",
      description = "Replay a JSON-lines export instead of Kafka (file order = log order).")
  @Nullable Path fromFile;

  @Option(
      names = "--until-offset",
      paramLabel = "P:O[,P:O...]",
      description =
          "Stop after these offsets of these partitions (included); for a file without positions, a line number.")
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

  /** The file if {@code --from-file} is given, else Kafka; neither is a usage error. */
  EventSource source() {
    if (fromFile != null) {
      return new JsonlEventSource(fromFile, stop());
    }
    if (!hasKafka()) {
      throw new UsageException("give --from-file FILE.jsonl or --bootstrap-servers HOST:PORT");
    }
    return new KafkaEventSource(kafka(), stop());
  }

  /**
   * Says on {@code err} how many records of {@code events} were refused as the projector refuses
   * them (and so not folded), by reason: nothing when none was.
   */
  static void reportRefused(EventSource events, java.io.PrintWriter err, String command) {
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
                          .map(p -> dev.v2pledger.schema.domain.Values.printable(p, 200))
                          .collect(java.util.stream.Collectors.joining("; "))));
      err.flush();
    }
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
