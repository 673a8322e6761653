package dev.v2pledger.hardening.cli;

import static dev.v2pledger.hardening.cli.BadValue.of;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** Bad values of the options every Kafka command shares. */
final class Kafka {
  private Kafka() {}

  /**
   * A new list of the bad values every one of {@code commands} shares: {@link #badValues} and
   * {@link #badConfigFiles}.
   */
  static List<BadValue> shared(Invocation... commands) throws IOException {
    List<BadValue> out = new ArrayList<>();
    for (Invocation command : commands) {
      badValues(command, out);
      badConfigFiles(command, out);
    }
    return out;
  }

  /** {@code --bootstrap-servers} and {@code --kafka-config} of {@code command}. */
  static void badValues(Invocation command, List<BadValue> out) throws IOException {
    out.add(of(command, "--bootstrap-servers", "", "bootstrap servers"));
    out.add(of(command, "--bootstrap-servers", "a:b:c", "a:b:c"));
    out.add(of(command, "--bootstrap-servers", "nohost.invalid:9092", "nohost.invalid:9092"));
    out.add(of(command, "--bootstrap-servers", "127.0.0.1:notaport", "127.0.0.1:notaport"));
    out.add(of(command, "--bootstrap-servers", "127.0.0.1", "127.0.0.1"));
    String name = command.name().replace(' ', '-');
    out.add(of(command, "--kafka-config", "/nonexistent/kafka.properties", "no such file"));
    out.add(of(command, "--kafka-config", FlagsTestBase.directory.toString(), "directory"));
    String malformed = FlagsTestBase.file(name + "-malformed.properties", "a=\\uZZZZ\n").toString();
    out.add(of(command, "--kafka-config", malformed, "Malformed"));
    String bogus =
        FlagsTestBase.file(name + "-bogus.properties", "security.protocol=BOGUS\n").toString();
    out.add(of(command, "--kafka-config", bogus, "BOGUS"));
  }

  /** {@code --config} (or {@code V2P_CONFIG}) of a command that has the option. */
  static void badConfigFiles(Invocation command, List<BadValue> out) throws IOException {
    String name = command.name().replace(' ', '-');
    EnumSet<Invocation.Via> vias = EnumSet.of(Invocation.Via.FLAG, Invocation.Via.ENVIRONMENT);
    String unknown = FlagsTestBase.file(name + "-unknown.properties", "nope=1\n").toString();
    String malformed = FlagsTestBase.file(name + "-bad.properties", "a=\\uZZZZ\n").toString();
    out.add(new BadValue(command, "--config", "/nonexistent/v2p.properties", "no such file", vias));
    out.add(new BadValue(command, "--config", unknown, "'nope' is not a setting", vias));
    out.add(new BadValue(command, "--config", malformed, "Malformed", vias));
  }
}
