package dev.v2pledger.replay.source;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A finite, ordered sequence of events. Each partition's events come in their log order (a file is
 * one partition); partitions may interleave.
 */
public interface EventSource extends AutoCloseable {

  /** What a source does with each event; returns false to stop early. */
  @FunctionalInterface
  interface Sink {
    boolean accept(ReplayEvent event);
  }

  /** Feeds every event, in order, until the end of the source or until the sink says stop. */
  void forEach(Sink sink) throws IOException;

  /**
   * Events the source refused as the projector does (they do not decode, or sit under another key
   * or in another partition than their instance's): the projector sent them to the dead-letter
   * topic.
   */
  long undecodable();

  /** {@link #undecodable()} by reason ({@code UNKNOWN_SCHEMA}, {@code MISROUTED}, ...). */
  default Map<String, Long> refusedByReason() {
    return Map.of();
  }

  /**
   * Where the first refused events were and why ({@code topic-partition@offset: REASON: detail}),
   * at most 20; empty for a source that keeps no positions.
   */
  default List<String> refusedPositions() {
    return List.of();
  }

  /**
   * The replay's cut, after {@link #forEach}: for each partition of {@code v2p.events} it bounds,
   * the offset up to which (excluded) the log was read, refused records and records deleted before
   * the read included; a partition absent is bounded at 0 (the replay had no event of it: a
   * partition a file has no event of, or none at all). Null when not known (events without their
   * log positions).
   */
  default java.util.@Nullable Map<Integer, Long> cut() {
    return null;
  }

  /**
   * The partitions of {@code v2p.events} whose log no longer started at offset 0 when the replay
   * began (records deleted by retention or {@code deleteRecords}), with their start offsets: the
   * replay may miss the events they held. Empty for a file.
   */
  default Map<Integer, Long> truncatedStarts() {
    return Map.of();
  }

  /**
   * Events this build admits that the projector dead-lettered ({@code v2p.events.dlq} names them:
   * their schema was registered after it read them, say), by the letter's reason: not folded, as
   * the projector folded none of them.
   */
  default Map<String, Long> deadLettered() {
    return Map.of();
  }

  /**
   * Where the first {@link #deadLettered} events are ({@code topic-partition@offset}), at most 20.
   */
  default List<String> deadLetteredPositions() {
    return List.of();
  }

  /**
   * One line on what this source cannot tell of the events the projector dead-lettered (a file does
   * not say; {@code v2p.events.dlq} could not be read whole), or null when nothing.
   */
  default @Nullable String deadLettersUnknown() {
    return null;
  }

  /**
   * One line on the letters of {@code v2p.events.dlq} whose record is not in {@code v2p.events} any
   * more (the topic made again since, or records deleted), after {@link #forEach}: they left
   * nothing out. Null when none, and for a file.
   */
  default @Nullable String staleLetters() {
    return null;
  }

  /** A short description for messages and reports: the file, or the cluster. */
  String describe();

  @Override
  void close();
}
