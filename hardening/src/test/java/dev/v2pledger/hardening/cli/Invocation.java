package dev.v2pledger.hardening.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A valid command line (a command path and its options) and the same line with one option given a
 * bad value, three ways: as a flag, as its {@code V2P_<OPTION>} environment variable, and in a
 * {@code --config} file named by {@code V2P_CONFIG}.
 */
final class Invocation {
  /** How a bad value reaches the command. */
  enum Via {
    FLAG,
    ENVIRONMENT,
    CONFIG_FILE
  }

  private final List<String> command;
  private final Map<String, String> options = new LinkedHashMap<>();

  Invocation(String... command) {
    this.command = List.of(command);
  }

  /** A copy with {@code option} set to {@code value}. */
  Invocation with(String option, String value) {
    Invocation copy = new Invocation(command.toArray(String[]::new));
    copy.options.putAll(options);
    copy.options.put(option, value);
    return copy;
  }

  String name() {
    return String.join(" ", command);
  }

  /** Arguments and environment with {@code option} set to {@code value} the given way. */
  Run bad(String option, String value, Via via, Path directory) {
    Map<String, String> opts = new LinkedHashMap<>(options);
    opts.remove(option);
    Map<String, String> env = new LinkedHashMap<>();
    List<String> args = new ArrayList<>(command);
    switch (via) {
      case FLAG -> opts.put(option, value);
      case ENVIRONMENT ->
          env.put("V2P_" + option.substring(2).toUpperCase(Locale.ROOT).replace('-', '_'), value);
      case CONFIG_FILE -> env.put("V2P_CONFIG", configFile(directory, option, value).toString());
    }
    opts.forEach(
        (name, v) -> {
          if (v == null) {
            args.add(name);
          } else {
            args.add(name + "=" + v);
          }
        });
    return new Run(args, env);
  }

  /** The arguments and environment of one run. */
  record Run(List<String> args, Map<String, String> env) {}

  private static Path configFile(Path directory, String option, String value) {
    try {
      Path file = Files.createTempFile(directory, "config", ".properties");
      Properties properties = new Properties();
      properties.setProperty(option.substring(2), value);
      try (var out = Files.newBufferedWriter(file)) {
        properties.store(out, null);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** host:port where nothing listens: connections are refused at once. */
  static String closedAddress() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
