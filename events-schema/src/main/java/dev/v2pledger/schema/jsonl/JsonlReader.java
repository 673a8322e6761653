package dev.v2pledger.schema.jsonl;

import dev.v2pledger.schema.codec.InvalidFieldException;
import dev.v2pledger.schema.domain.Values;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * Reads events from JSON lines, one per line, in file order. Blank lines are allowed and counted;
 * any other line that is not a valid event stops the reader with a {@link JsonlException} naming
 * the line and the field. Not thread-safe.
 */
public final class JsonlReader implements Iterator<JsonlEvent>, Closeable {
  /** A line longer than this is refused rather than parsed; no event comes close. */
  public static final int MAX_LINE_CHARS = 1 << 20;

  private final LineReader in;
  private long lineNumber;
  private @Nullable JsonlEvent next;

  public JsonlReader(Reader in) {
    this(lines(in));
  }

  private JsonlReader(LineReader in) {
    this.in = in;
  }

  /** Reads {@code file} as UTF-8; a line that is not UTF-8 is an error naming it. */
  public static JsonlReader open(Path file) throws IOException {
    return of(Files.newInputStream(file));
  }

  /** Reads {@code in} as UTF-8, as {@link #open} reads a file; closing it closes {@code in}. */
  public static JsonlReader of(InputStream in) {
    return new JsonlReader(LineReader.utf8(in, MAX_LINE_CHARS));
  }

  /**
   * The lines of {@code in}, a line longer than {@link #MAX_LINE_CHARS} cut just past the limit (so
   * {@link #parseLine} refuses it) instead of being read into memory whole.
   */
  public static LineReader lines(Reader in) {
    return LineReader.of(in, MAX_LINE_CHARS);
  }

  /** Every event of {@code file}, or the first error. */
  public static List<JsonlEvent> readAll(Path file) throws IOException {
    try (JsonlReader reader = open(file)) {
      List<JsonlEvent> events = new ArrayList<>();
      reader.forEachRemaining(events::add);
      return events;
    }
  }

  /**
   * Whether {@code line} holds no event and is passed over: empty, or JSON whitespace alone (space,
   * tab, a lone carriage return). Any other line is an event or an error, never skipped: {@link
   * String#isBlank} would also pass over a line of other white space (U+2003, U+000B).
   */
  public static boolean isBlank(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  /** Parses one line; {@code lineNumber} only feeds error messages. */
  public static JsonlEvent parseLine(String line, long lineNumber) {
    if (line.length() > MAX_LINE_CHARS) {
      throw new JsonlException(
          lineNumber, null, "line is longer than " + MAX_LINE_CHARS + " characters");
    }
    try {
      FlatJson node = FlatJson.parse(line);
      return new JsonlEvent(lineNumber, EventJson.event(node), EventJson.position(node));
    } catch (FlatJson.NotAnObject e) {
      String problem = e.getMessage();
      throw new JsonlException(
          lineNumber,
          null,
          problem.equals("not a JSON object")
              ? problem + ": '" + Values.abbreviate(line.strip()) + "'"
              : problem);
    } catch (InvalidFieldException e) {
      String problem = e.getMessage().substring(("field '" + e.field() + "': ").length());
      throw new JsonlException(lineNumber, e.field(), problem);
    } catch (IllegalArgumentException e) {
      throw new JsonlException(lineNumber, null, e.getMessage());
    }
  }

  /** The number of the last line read (1-based), for progress and messages. */
  public long lineNumber() {
    return lineNumber;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    String line;
    try {
      do {
        line = in.readLine();
        if (line == null) {
          return false;
        }
        lineNumber++;
      } while (isBlank(line));
    } catch (CharacterCodingException e) {
      throw JsonlException.notUtf8(lineNumber + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read line " + (lineNumber + 1), e);
    }
    next = parseLine(line, lineNumber);
    return true;
  }

  @Override
  public JsonlEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    JsonlEvent event = next;
    next = null;
    return event;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
