package dev.v2pledger.hardening.cli;

import static dev.v2pledger.hardening.cli.BadValue.of;

import dev.v2pledger.devstack.cli.DevstackMain;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every option of {@code devstack run} that takes a value, given bad values. The base invocation
 * names a closed port as the cluster, so a value that slipped through would fail later on Kafka,
 * with a line that does not name it.
 */
class DevstackFlagsTest extends FlagsTestBase {
  private static final String CLOSED = Invocation.closedAddress();

  @Override
  Function<Map<String, String>, Object> command() {
    return env -> new DevstackMain(env, new PrintStream(OutputStream.nullOutputStream()));
  }

  static Invocation run() {
    return new Invocation("run")
        .with("--bootstrap-servers", CLOSED)
        .with("--quiet", null)
        .with("--hop-probe", "false");
  }

  @Override
  List<BadValue> badValues() throws IOException {
    Invocation run = run();
    List<BadValue> out = Kafka.shared(run);
    for (String sleds : List.of("0", "-1", "many", "99999999999", "1001", "70000")) {
      out.add(of(run, "--sleds", sleds, sleds));
    }
    for (String projectors : List.of("-1", "two", "101", "100000")) {
      out.add(of(run, "--projectors", projectors, projectors));
    }
    for (String partitions : List.of("0", "-1", "six")) {
      out.add(of(run, "--partitions", partitions, partitions));
    }
    for (String count : List.of("-1", "lots", "99999999999")) {
      out.add(of(run, "--instances", count, count));
      out.add(of(run, "--migrations", count, count));
      out.add(of(run, "--warmup", count, count));
    }
    for (String rate : List.of("-0.1", "1.5", "NaN", "often")) {
      out.add(of(run, "--failure-rate", rate, rate));
    }
    for (String seed : List.of("x", "99999999999999999999")) {
      out.add(of(run, "--seed", seed, seed));
    }
    for (String rate : List.of("-1", "NaN", "Infinity", "fast")) {
      out.add(of(run, "--rate", rate, rate));
    }
    for (String concurrency : List.of("0", "-1", "x")) {
      out.add(of(run, "--concurrency", concurrency, concurrency));
    }
    for (String url : List.of("localhost:9465", "http://", "not a url")) {
      out.add(of(run, "--sled-endpoints", url, url));
    }
    out.add(of(run, "--baseline", "nope", "nope"));
    for (String option : List.of("--rpw-period", "--reconcile-interval", "--converge-timeout")) {
      out.add(of(run, option, "0s", "PT0S"));
      out.add(of(run, option, "PT-1S", "PT-1S"));
      out.add(of(run, option, "soon", "soon"));
    }
    for (String option : List.of("--rpw-call-latency", "--max-tx-age", "--retire-after")) {
      out.add(of(run, option, "PT-1S", "PT-1S"));
      out.add(of(run, option, "5 ms", "'5 ms'"));
    }
    out.add(of(run, "--hop-probe", "maybe", "maybe"));
    for (String option : List.of("--reorder-rate", "--late-redelivery-rate")) {
      out.add(of(run, option, "1.5", "1.5"));
      out.add(of(run, option, "-0.1", "-0.1"));
      out.add(of(run, option, "often", "often"));
    }
    return out;
  }
}
