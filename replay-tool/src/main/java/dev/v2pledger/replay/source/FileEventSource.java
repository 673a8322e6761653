package dev.v2pledger.replay.source;

import java.nio.file.Path;

/**
 * A source that reads a JSON-lines file: it holds events, not records, so it refuses none; it is
 * described by its path, and holds nothing open between {@link #forEach} calls.
 */
public interface FileEventSource extends EventSource {

  /** The file read. */
  Path file();

  @Override
  default long undecodable() {
    return 0;
  }

  /**
   * A file holds events, not which of them the projector dead-lettered: one it dead-lettered that
   * decodes here is folded (an {@code export} leaves out those {@code v2p.events.dlq} named when it
   * wrote the file).
   */
  @Override
  default String deadLettersUnknown() {
    return "note: a file does not say which events the projector dead-lettered: one in it that"
        + " decodes is folded (export leaves out those v2p.events.dlq named when it wrote the"
        + " file)";
  }

  @Override
  default String describe() {
    return file().toString();
  }

  @Override
  default void close() {}
}
