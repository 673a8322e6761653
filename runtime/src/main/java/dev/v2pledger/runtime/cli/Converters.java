package dev.v2pledger.runtime.cli;

import dev.v2pledger.runtime.time.Durations;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vni;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Command-line converters for domain values, durations and paths, with the domain's own messages.
 */
public final class Converters {
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** The longest timeout a Kafka client takes ({@code int} milliseconds). */
  public static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

  private Converters() {}

  /** Registers every converter on {@code commandLine} and its subcommands. */
  public static void register(CommandLine commandLine) {
    commandLine.registerConverter(Vni.class, wrap(Vni::parse));
    commandLine.registerConverter(IpAddr.class, wrap(IpAddr::parse));
    commandLine.registerConverter(Ipv6Addr.class, wrap(Ipv6Addr::parse));
    commandLine.registerConverter(MacAddr.class, wrap(MacAddr::parse));
    commandLine.registerConverter(SledId.class, wrap(SledId::parse));
    commandLine.registerConverter(InstanceId.class, wrap(InstanceId::parse));
    commandLine.registerConverter(Duration.class, wrap(Converters::duration));
    commandLine.registerConverter(Path.class, wrap(Converters::path));
  }

  private static <T> ITypeConverter<T> wrap(Function<String, T> parser) {
    return text -> {
      try {
        return parser.apply(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    };
  }

  /** The longest duration any option takes: {@link Durations#LONGEST}, ten years. */
  public static final Duration MAX_DURATION = Durations.LONGEST;

  /**
   * {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601 such as {@code PT5S}; at most
   * {@link #MAX_DURATION}.
   */
  public static Duration duration(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    Matcher simple = SIMPLE_DURATION.matcher(trimmed);
    try {
      Duration parsed;
      if (simple.matches()) {
        long amount = Long.parseLong(simple.group(1));
        parsed =
            switch (simple.group(2)) {
              case "ms" -> Duration.ofMillis(amount);
              case "s" -> Duration.ofSeconds(amount);
              case "m" -> Duration.ofMinutes(amount);
              case "h" -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            };
      } else {
        parsed = Duration.parse(text.trim());
      }
      if (parsed.compareTo(MAX_DURATION) > 0) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' is more than "
                + MAX_DURATION.toDays()
                + " days, the most any option takes");
      }
      return parsed;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (e.g. 250ms, 5s, 2m, 1h, 7d or PT5S)");
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (too long)");
    }
  }

  /**
   * A file named on the command line. An empty name is refused here: {@code Path.of("")} is the
   * working directory, and "cannot read : it is a directory" would be the answer.
   */
  public static Path path(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("an empty path");
    }
    return Path.of(text);
  }

  /**
   * A timeout given on the command line: positive and at most {@link Integer#MAX_VALUE} ms (what
   * Kafka's clients accept, about 24 days).
   *
   * @throws UsageException naming {@code option} and the value otherwise
   */
  public static Duration checkTimeout(String option, Duration value) {
    if (value.isNegative() || value.isZero() || value.compareTo(MAX_TIMEOUT) > 0) {
      throw new UsageException(
          option + " must be between 1 ms and " + MAX_TIMEOUT.toDays() + " days, got " + value);
    }
    return value;
  }
}
