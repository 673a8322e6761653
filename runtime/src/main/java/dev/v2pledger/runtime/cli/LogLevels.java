package dev.v2pledger.runtime.cli;

import dev.v2pledger.schema.domain.Values;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The log levels the environment sets ({@code V2P_LOG_LEVEL}, {@code V2P_KAFKA_LOG_LEVEL}), checked
 * before anything logs: Log4j reads them when its first logger starts, and answers a bad one with a
 * stack trace and its default level.
 */
public final class LogLevels {
  /** Log4j's levels, any case. */
  public static final List<String> NAMES =
      List.of("off", "fatal", "error", "warn", "info", "debug", "trace", "all");

  private LogLevels() {}

  /** A usage error naming the first variable of {@code env} that is not a log level. */
  public static void check(Map<String, String> env) {
    for (String variable : List.of("V2P_LOG_LEVEL", "V2P_KAFKA_LOG_LEVEL")) {
      String value = env.get(variable);
      if (value != null && !NAMES.contains(value.strip().toLowerCase(Locale.ROOT))) {
        throw new UsageException(
            variable
                + ": '"
                + Values.abbreviate(value) // one line, whatever the variable holds
                + "' is not a log level (one of "
                + String.join(", ", NAMES)
                + ")");
      }
    }
  }
}
