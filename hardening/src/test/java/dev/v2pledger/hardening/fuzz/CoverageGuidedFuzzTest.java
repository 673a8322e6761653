package dev.v2pledger.hardening.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.v2pledger.applier.xde.postcard.OpteErrorCodec;
import dev.v2pledger.applier.xde.postcard.PostcardException;
import dev.v2pledger.applier.xde.postcard.V2PMessages;
import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.jsonl.JsonlEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Jazzer's coverage-guided fuzzing of the decoders that read what others write: events, the
 * changelog, XDE's answers, JSON-lines files. In every build these run in regression mode only:
 * each method is called once with no input and once per file under {@code
 * src/test/resources/dev/v2pledger/hardening/fuzz/CoverageGuidedFuzzTestInputs/<method>/} (valid
 * encodings, checked by {@link CoverageGuidedSeedsTest}, and any finding saved there), in a JVM of
 * its own (the surefire execution {@code coverage-guided-fuzz}, JUnit tag {@code jazzer}) so
 * Jazzer's agent stays out of the other tests. To fuzz one method for up to its {@code
 * maxDuration}:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -pl hardening -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='CoverageGuidedFuzzTest#eventCodec' -Dspotless.check.skip
 * </pre>
 *
 * A crash (an exception other than the one the decoder documents, a message that is not one short
 * line) is written to that method's inputs directory and so becomes a regression test in every
 * later build; the generated corpus goes to {@code hardening/.cifuzz-corpus/}.
 */
class CoverageGuidedFuzzTest {
  private static final EventCodec EVENTS = new EventCodec();
  private static final InstanceStateCodec STATES = new InstanceStateCodec();
  private static final RecordOrigin ORIGIN = RecordOrigin.of("v2p.events", 0, 0);
  private static final Pattern LINE_ERROR = Pattern.compile("line [1-9][0-9]*: .*");

  @FuzzTest(maxDuration = "10m")
  void eventCodec(byte[] bytes) {
    try {
      InstanceEvent event = EVENTS.decode(bytes, ORIGIN);
      Fold.apply(InstanceState.empty(event.instanceId()), event);
    } catch (RecordDecodeException e) {
      oneShortLine(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void instanceStateCodec(byte[] bytes) {
    try {
      InstanceState state = STATES.decode(bytes, ORIGIN);
      state.ownedKeys();
    } catch (RecordDecodeException e) {
      oneShortLine(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void dumpResponse(byte[] bytes) {
    try {
      V2PMessages.decodeDump(bytes, bytes.length);
    } catch (PostcardException e) {
      oneShortLine(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void opteError(byte[] bytes) {
    try {
      String description = OpteErrorCodec.decode(bytes, bytes.length).describe();
      if (!Text.isOneLine(description)) {
        throw new IllegalStateException("OpteError described on several lines: " + description);
      }
    } catch (PostcardException e) {
      oneShortLine(e);
    }
  }

  /**
   * The bytes as a JSON-lines file, read the way the tools read one ({@link JsonlReader#open}, so
   * bytes that are not UTF-8 count too): every event the reader returns folds, and the first bad
   * line stops it with one short message naming that line.
   */
  @FuzzTest(maxDuration = "10m")
  void jsonLines(byte[] bytes) throws IOException {
    Path file = Files.createTempFile("fuzz-", ".jsonl");
    try {
      Files.write(file, bytes);
      try (JsonlReader reader = JsonlReader.open(file)) {
        while (reader.hasNext()) {
          JsonlEvent event = reader.next();
          Fold.apply(InstanceState.empty(event.event().instanceId()), event.event());
        }
      } catch (JsonlException e) {
        oneShortLine(e);
        if (!LINE_ERROR.matcher(e.getMessage()).matches()) {
          throw new IllegalStateException("no line number: " + e.getMessage(), e);
        }
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void oneShortLine(RuntimeException e) {
    String message = e.getMessage();
    if (message == null
        || !Text.isOneLine(message)
        || message.length() > FuzzSettings.MAX_MESSAGE_CHARS) {
      throw new IllegalStateException("not one short line: " + message, e);
    }
  }
}
