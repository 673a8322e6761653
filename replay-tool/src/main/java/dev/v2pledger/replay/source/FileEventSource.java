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

  @Override
  default String describe() {
    return file().toString();
  }

  @Override
  default void close() {}
}
