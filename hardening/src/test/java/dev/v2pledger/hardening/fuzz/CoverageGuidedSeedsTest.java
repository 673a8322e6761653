package dev.v2pledger.hardening.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.xde.postcard.OpteErrorCodec;
import dev.v2pledger.applier.xde.postcard.V2PMessages;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.jsonl.JsonlReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seeds of {@link CoverageGuidedFuzzTest} (the files named {@code seed-*} and {@code variant-*}
 * in its inputs directories; findings saved there by a fuzzing run, {@code crash-*}, are not) are
 * what they claim to be: valid encodings of today's formats, so the regression run covers the
 * decoders' success paths and a fuzzing run starts from real inputs (a schema change that made them
 * stale would otherwise go unnoticed: every seed would just become one more decode error).
 */
class CoverageGuidedSeedsTest {
  private static final RecordOrigin ORIGIN = RecordOrigin.of("v2p.events", 0, 0);

  @Test
  void eventSeedsAreEvents() throws Exception {
    EventCodec codec = new EventCodec();
    for (Path seed : seeds("eventCodec")) {
      codec.decode(Files.readAllBytes(seed), ORIGIN);
    }
  }

  @Test
  void stateSeedsAreInstanceStates() throws Exception {
    InstanceStateCodec codec = new InstanceStateCodec();
    for (Path seed : seeds("instanceStateCodec")) {
      codec.decode(Files.readAllBytes(seed), ORIGIN);
    }
  }

  @Test
  void dumpSeedsAreDumpResponses() throws Exception {
    for (Path seed : seeds("dumpResponse")) {
      byte[] bytes = Files.readAllBytes(seed);
      V2PMessages.decodeDump(bytes, bytes.length);
    }
  }

  @Test
  void opteErrorSeedsAreOpteErrors() throws Exception {
    for (Path seed : seeds("opteError")) {
      byte[] bytes = Files.readAllBytes(seed);
      OpteErrorCodec.decode(bytes, bytes.length);
    }
  }

  @Test
  void jsonLinesSeedsAreEvents() throws Exception {
    for (Path seed : seeds("jsonLines")) {
      assertThat(JsonlReader.readAll(seed)).as(seed.toString()).isNotEmpty();
    }
  }

  private static List<Path> seeds(String method) throws IOException, URISyntaxException {
    URL url = CoverageGuidedFuzzTest.class.getResource("CoverageGuidedFuzzTestInputs/" + method);
    assertThat(url).as("inputs directory of " + method).isNotNull();
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      List<Path> seeds =
          files
              .filter(
                  file -> {
                    String name = file.getFileName().toString();
                    return name.startsWith("seed-") || name.startsWith("variant-");
                  })
              .sorted()
              .toList();
      assertThat(seeds).as("seeds of " + method).isNotEmpty();
      return seeds;
    }
  }
}
