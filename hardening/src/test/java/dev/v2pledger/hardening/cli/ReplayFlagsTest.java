package dev.v2pledger.hardening.cli;

import static dev.v2pledger.hardening.cli.BadValue.flagOnly;
import static dev.v2pledger.hardening.cli.BadValue.of;

import dev.v2pledger.replay.cli.ReplayToolMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every option of the replay tool's six commands, given bad values. */
class ReplayFlagsTest extends FlagsTestBase {
  private static final String CLOSED = Invocation.closedAddress();
  static final String NIC =
      "{\"type\":\"NicAttached\",\"instance_id\":\"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6\","
          + "\"nic_id\":\"11111111-2222-4333-8444-555555555555\",\"vni\":7777,"
          + "\"mac\":\"a8:40:25:f1:6e:6f\",\"ips\":[\"172.30.0.5\"],\"ip_epoch\":1}";

  @Override
  Function<Map<String, String>, Object> command() {
    return env -> new ReplayToolMain();
  }

  @Override
  List<BadValue> badValues() throws IOException {
    String valid = file("valid.jsonl", NIC + "\n").toString();
    String badLine = file("bad-line.jsonl", NIC + "\n{\"type\":\"Nope\"}\n").toString();
    String binary = directory.resolve("binary.jsonl").toString();
    Files.write(Path.of(binary), new byte[] {'{', (byte) 0xff, '}', '\n'});
    String dump = file("dump.json", "[]").toString();
    List<BadValue> out = new ArrayList<>();
    for (String name : List.of("rebuild", "history", "verify", "stats")) {
      Invocation file =
          name.equals("verify")
              ? fromFile(name, valid).with("--xde-dump", dump)
              : fromFile(name, valid);
      Invocation kafka = fromKafka(name);
      out.add(of(file, "--from-file", "/nonexistent/events.jsonl", "no such file"));
      out.add(of(file, "--from-file", directory.toString(), directory.toString()));
      out.add(of(file, "--from-file", badLine, "line 2: field 'type'"));
      out.add(of(file, "--from-file", binary, "line 1:"));
      for (String offset : List.of("x", "1:2:3", "1:x", "-1:5", "1:-5", "")) {
        out.add(of(file, "--until-offset", offset, "'" + offset + "'"));
      }
      for (String time : List.of("yesterday", "2026-11-23T03:12:00")) {
        out.add(of(file, "--until-time", time, time));
      }
      Kafka.badValues(kafka, out);
      badTimeouts(kafka, out);
      out.add(flagOnly(kafka, "--bootstrap-servers", CLOSED, "cannot reach Kafka at " + CLOSED));
    }
    out.add(of(fromFile("rebuild", valid), "--format", "xml", "xml"));
    out.add(of(fromFile("rebuild", valid), "--include-cleared", "maybe", "maybe"));
    Invocation history = new Invocation("history").with("--from-file", valid);
    // the subject is a required exclusive group: picocli takes it from the command line only
    out.add(flagOnly(history, "--instance", "nope", "nope"));
    for (String ip : List.of("7777", "x/10.0.0.1", "7777/nope", "16777216/10.0.0.1", "/")) {
      out.add(of(history, "--ip", ip, "--ip"));
    }
    Invocation ofIp = history.with("--ip", "7777/172.30.0.5");
    out.add(of(ofIp, "--html", "/nonexistent/dir/ip.html", "/nonexistent/dir/ip.html"));
    out.add(of(ofIp, "--html", directory.toString(), directory.toString()));
    Invocation verify = fromFile("verify", valid).with("--xde-dump", dump);
    out.add(of(verify, "--xde-dump", "/nonexistent/dump.json", "no such file"));
    out.add(of(verify, "--xde-dump", badLine, "not JSON"));
    for (String vnis : List.of("-1", ",", "100,")) {
      out.add(of(verify.with("--xde-dump", valid), "--exclude-vni", vnis, vnis));
    }
    out.add(of(fromKafka("verify"), "--topic", "maybe", "maybe"));
    out.add(of(fromKafka("verify"), "--projector-group", " ", "--projector-group"));
    Invocation export = fromKafka("export").with("--out", directory.resolve("x.jsonl").toString());
    Kafka.badValues(export, out);
    badTimeouts(export, out);
    out.add(of(export, "--out", "/nonexistent/dir/x.jsonl", "/nonexistent/dir/x.jsonl"));
    out.add(of(export, "--out", directory.toString(), directory.toString()));
    Invocation publish = fromKafka("publish").with("--from-file", valid);
    Kafka.badValues(publish, out);
    badTimeouts(publish, out);
    out.add(of(publish, "--from-file", badLine, "line 2: field 'type'"));
    out.add(of(publish, "--from-file", binary, "line 1: not UTF-8 text"));
    out.add(of(publish, "--from-file", "/nonexistent/events.jsonl", "no such file"));
    out.add(of(publish, "--append", "maybe", "maybe"));
    return out;
  }

  private static Invocation fromFile(String command, String file) {
    Invocation invocation = new Invocation(command).with("--from-file", file);
    return command.equals("history") ? invocation.with("--instance", INSTANCE) : invocation;
  }

  private static Invocation fromKafka(String command) {
    Invocation invocation =
        new Invocation(command).with("--bootstrap-servers", CLOSED).with("--timeout", "2s");
    return command.equals("history") ? invocation.with("--instance", INSTANCE) : invocation;
  }

  private static void badTimeouts(Invocation kafka, List<BadValue> out) {
    for (String timeout : List.of("0s", "PT-1S", "soon", "PT2562047788015215H")) {
      out.add(of(kafka, "--timeout", timeout, timeout.equals("0s") ? "PT0S" : timeout));
    }
  }

  private static final String INSTANCE = "8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6";
}
