package dev.v2pledger.hardening.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated bytes into every decoder that reads bytes from outside: the Avro codecs of
 * events, mappings, acks and instance states, the generic codec of every generated record, the
 * Kafka deserializers with and without headers, the applier's postcard decoders and the replay
 * tool's XDE-dump reader. Each must return a usable value or throw its one documented exception
 * with a one-line message, within a deadline and a memory allowance (under -Xmx256m), and valid
 * inputs around the bad ones must still decode. A new seed each run (printed); replay one with
 * {@code -Dv2p.seed=N}, fuzz longer with {@code -Dv2p.fuzz.iterations=N}, one target with {@code
 * -Dv2p.fuzz.target=NAME}.
 */
class DecoderFuzzTest {
  private static final int ITERATIONS = FuzzSettings.iterations(1500);

  @RegisterExtension static final Fuzzing FUZZ = new Fuzzing("DecoderFuzzTest");

  @TempDir static Path directory;

  @TestFactory
  Stream<DynamicTest> everyDecoderSurvivesBadBytes() {
    Targets targets = new Targets(new Random(FUZZ.seed()));
    List<Target> all = new ArrayList<>(targets.codecs());
    all.addAll(targets.serdes());
    all.addAll(targets.postcard());
    all.add(targets.xdeDump(directory));
    return all.stream()
        .filter(target -> FuzzSettings.selected(target.name()))
        .map(target -> DynamicTest.dynamicTest(target.name(), () -> fuzz(target)));
  }

  private static void fuzz(Target target) {
    Random random = new Random(FUZZ.seed() ^ target.name().hashCode());
    Campaign campaign =
        new Campaign(target, FUZZ.guard(), random, new Mutator(random, Targets.fingerprints()));
    Campaign.Summary summary = campaign.run(ITERATIONS);
    System.out.println(summary);
    assertThat(campaign.failures())
        .as(
            "%s with seed %d (replay with -Dv2p.seed=%d -Dv2p.fuzz.target=%s)",
            target.name(), FUZZ.seed(), FUZZ.seed(), target.name())
        .isEmpty();
  }
}
