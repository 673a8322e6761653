package dev.v2pledger.runtime.time;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as the components print them to an operator. */
public final class Durations {
  private Durations() {}

  /**
   * The longest duration any component takes: ten years. Runners add durations to {@code nanoTime}
   * and count them in nanoseconds, which overflow past 292 years.
   */
  public static final Duration LONGEST = Duration.ofDays(3650);

  /**
   * Refuses {@code duration}, named {@code what} in the message, when it is longer than {@link
   * #LONGEST}.
   */
  public static void checkAtMostLongest(String what, Duration duration) {
    if (duration.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(
          what + " must be at most " + LONGEST.toDays() + " days, got " + duration);
    }
  }

  /**
   * {@code duration} as an operator reads it: whole seconds as {@code "15 s"}, anything else in
   * milliseconds ({@code "500 ms"}, {@code "1500 ms"}, {@code "0.25 ms"}), never rounded to a value
   * that was not given (a {@code --timeout 500ms} is not "0 s").
   */
  public static String readable(Duration duration) {
    if (duration.getNano() == 0) {
      return duration.getSeconds() + " s";
    }
    BigDecimal millis = new BigDecimal(duration.getSeconds()).scaleByPowerOfTen(3);
    millis = millis.add(new BigDecimal(duration.getNano()).scaleByPowerOfTen(-6));
    return millis.stripTrailingZeros().toPlainString() + " ms";
  }
}
