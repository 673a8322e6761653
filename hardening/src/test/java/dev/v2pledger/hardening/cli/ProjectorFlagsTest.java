package dev.v2pledger.hardening.cli;

import static dev.v2pledger.hardening.cli.BadValue.flagOnly;
import static dev.v2pledger.hardening.cli.BadValue.of;

import dev.v2pledger.projector.cli.ProjectorMain;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every option of {@code projector run} and {@code projector init-topics}, given bad values. */
class ProjectorFlagsTest extends FlagsTestBase {
  private static final String CLOSED = Invocation.closedAddress();

  @Override
  Function<Map<String, String>, Object> command() {
    return ProjectorMain::new;
  }

  static Invocation run() {
    return new Invocation("run")
        .with("--bootstrap-servers", CLOSED)
        .with("--instance-id", "fuzz")
        .with("--metrics-port", "-1")
        .with("--max-retries", "0");
  }

  static Invocation initTopics() {
    return new Invocation("init-topics")
        .with("--bootstrap-servers", CLOSED)
        .with("--timeout", "2s");
  }

  @Override
  List<BadValue> badValues() throws IOException {
    List<BadValue> out = Kafka.shared(run(), initTopics());
    Invocation run = run();
    out.add(of(run, "--instance-id", "", "instance id ''"));
    out.add(of(run, "--instance-id", "a b", "instance id 'a b'"));
    out.add(of(run, "--instance-id", "x".repeat(201), "instance id 'xxx"));
    out.add(of(run, "--group-id", " ", "group id"));
    for (String age : List.of("abc", "PT-1S", "99999999999999999999h", "5 ms")) {
      out.add(of(run, "--max-tx-age", age, age.equals("PT-1S") ? "PT-1S" : "'" + age + "'"));
    }
    for (String records : List.of("0", "-1", "abc", "99999999999")) {
      out.add(of(run, "--max-tx-records", records, records));
    }
    for (String grace : List.of("PT-1S", "a week", "7 d")) {
      out.add(
          of(run, "--retire-after", grace, grace.equals("PT-1S") ? "PT-1S" : "'" + grace + "'"));
    }
    for (String age : List.of("abc", "PT-1S", "0s", "5 ms")) {
      out.add(
          of(
              run,
              "--max-tx-age-under-backlog",
              age,
              switch (age) {
                case "PT-1S" -> "PT-1S";
                case "0s" -> "must be positive, got PT0S";
                default -> "'" + age + "'";
              }));
    }
    for (String records : List.of("-1", "abc", "99999999999")) {
      out.add(of(run, "--max-tx-records-under-backlog", records, records));
    }
    // below --max-tx-records (default 1000): the one line names both
    out.add(of(run, "--max-tx-records-under-backlog", "999", "(999) must not be below"));
    out.add(of(run, "--max-retries", "-1", "must not be negative"));
    out.add(of(run, "--max-retries", "many", "many"));
    out.add(of(run, "--static-membership", "maybe", "maybe"));
    out.add(of(run.with("--metrics-port", "0"), "--metrics-host", "no such host", "no such host"));
    for (String port : List.of("-2", "65536", "http")) {
      out.add(of(run(), "--metrics-port", port, port));
    }
    String inUse = String.valueOf(busy.getLocalPort());
    out.add(of(run(), "--metrics-port", inUse, inUse));

    Invocation init = initTopics();
    for (String partitions : List.of("0", "-1", "six", "2147483648")) {
      out.add(of(init, "--partitions", partitions, partitions));
    }
    for (String replicas : List.of("0", "-1", "40000", "three")) {
      out.add(of(init, "--replication-factor", replicas, replicas));
    }
    for (String isr : List.of("0", "-1", "two")) {
      out.add(of(init, "--min-insync-replicas", isr, isr));
    }
    for (String retention : List.of("PT-5S", "0s", "forever", "99999999999999999999h")) {
      out.add(of(init, "--acks-retention", retention, retention.equals("0s") ? "PT0S" : retention));
    }
    for (String timeout : List.of("0s", "PT-1S", "soon", "PT2562047788015215H")) {
      out.add(of(init, "--timeout", timeout, timeout.equals("0s") ? "PT0S" : timeout));
    }
    out.add(
        flagOnly(initTopics(), "--bootstrap-servers", CLOSED, "cannot reach Kafka at " + CLOSED));
    return out;
  }
}
