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
    List<Map.Entry<String, List<String>>> refused =
        List.of(
            Map.entry("--sleds", List.of("0", "-1", "many", "99999999999", "1001", "70000")),
            Map.entry("--projectors", List.of("-1", "two", "101", "100000")),
            Map.entry("--partitions", List.of("0", "-1", "six")),
            Map.entry("--instances", List.of("-1", "lots", "99999999999")),
            Map.entry("--migrations", List.of("-1", "lots", "99999999999")),
            Map.entry("--warmup", List.of("-1", "lots", "99999999999")),
            Map.entry("--failure-rate", List.of("-0.1", "1.5", "NaN", "often")),
            Map.entry("--reorder-rate", List.of("1.5", "-0.1", "often")),
            Map.entry("--late-redelivery-rate", List.of("1.5", "-0.1", "often")),
            Map.entry("--seed", List.of("x", "99999999999999999999")),
            Map.entry("--rate", List.of("-1", "0.5", "NaN", "Infinity", "fast")),
            Map.entry("--concurrency", List.of("0", "-1", "x")),
            Map.entry(
                "--sled-endpoints",
                List.of("localhost:9465", "http://", "not a url", ",", "http://127.0.0.1:9465,")),
            Map.entry("--baseline", List.of("nope")),
            Map.entry("--hop-probe", List.of("maybe")));
    for (Map.Entry<String, List<String>> option : refused) {
      for (String value : option.getValue()) {
        out.add(of(run, option.getKey(), value, value));
      }
    }
    for (String option : List.of("--rpw-period", "--reconcile-interval", "--converge-timeout")) {
      out.add(of(run, option, "0s", "PT0S"));
      out.add(of(run, option, "PT-1S", "PT-1S"));
      out.add(of(run, option, "soon", "soon"));
    }
    for (String option : List.of("--rpw-call-latency", "--max-tx-age", "--retire-after")) {
      out.add(of(run, option, "PT-1S", "PT-1S"));
      out.add(of(run, option, "5 ms", "'5 ms'"));
    }
    return out;
  }
}
