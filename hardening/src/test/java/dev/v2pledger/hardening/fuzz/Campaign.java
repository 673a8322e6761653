package dev.v2pledger.hardening.fuzz;

import dev.v2pledger.schema.codec.RecordDecodeException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Feeds one {@link Target} garbage and mutated valid encodings, and judges every outcome: a value
 * that has the target's property, or the one documented exception with a one-line message of
 * reasonable length; never another throwable, never longer than the deadline, never more memory
 * than the allowance. Between bad inputs, the valid seeds must still decode to what they decoded to
 * at first (nothing valid lost, no state left behind by a bad input).
 */
final class Campaign {
  private static final int MAX_REPORTED = 8;

  /** What a run saw, for the test output. */
  record Summary(
      String target, int inputs, int decoded, TreeMap<String, Integer> refused, long maxAllocated) {
    @Override
    public String toString() {
      return String.format(
          "%-28s %6d inputs: %6d decoded, refused %s; max allocation %,d bytes",
          target, inputs, decoded, refused, maxAllocated);
    }
  }

  private final Target target;
  private final Guard guard;
  private final Random random;
  private final Mutator mutator;
  private final List<String> failures = new ArrayList<>();
  private final TreeMap<String, Integer> refused = new TreeMap<>();
  private int decoded;
  private long maxAllocated;

  Campaign(Target target, Guard guard, Random random, Mutator mutator) {
    this.target = target;
    this.guard = guard;
    this.random = random;
    this.mutator = mutator;
  }

  /** Runs {@code iterations} inputs; the failures, if any, are in {@link #failures()}. */
  Summary run(int iterations) {
    List<byte[]> seeds = target.seeds();
    List<Object> expected = new ArrayList<>();
    for (byte[] seed : seeds) {
      expected.add(decodeValid(seed, "seed"));
    }
    List<byte[]> extras = target.extras();
    for (int i = 0; i < extras.size() && failures.size() < MAX_REPORTED; i++) {
      judge(extras.get(i), -1 - i);
    }
    for (int i = 0; i < iterations && failures.size() < MAX_REPORTED; i++) {
      int pick = random.nextInt(seeds.size());
      byte[] base =
          extras.isEmpty() || random.nextInt(4) > 0
              ? seeds.get(pick)
              : extras.get(random.nextInt(extras.size()));
      byte[] input =
          i % 8 == 0
              ? mutator.garbage()
              : mutator.mutate(base, seeds.get(random.nextInt(seeds.size())));
      judge(input, i);
      if (i % 4 == 0
          && !Objects.equals(decodeValid(seeds.get(pick), "iteration " + i), expected.get(pick))) {
        failures.add("iteration " + i + ": a valid seed decoded differently after bad inputs");
      }
    }
    return new Summary(target.name(), extras.size() + iterations, decoded, refused, maxAllocated);
  }

  List<String> failures() {
    return failures;
  }

  private @Nullable Object decodeValid(byte[] bytes, String when) {
    Guard.Outcome outcome = guard.call(() -> target.decoder().decode(bytes));
    if (outcome.error() != null) {
      failures.add(when + ": a valid input was refused: " + outcome.error());
    }
    return outcome.value();
  }

  private void judge(byte[] input, int iteration) {
    Guard.Outcome outcome;
    try {
      outcome =
          guard.call(
              () -> {
                Object value = target.decoder().decode(input);
                try {
                  target.property().check(value);
                } catch (Exception | Error e) {
                  throw new PropertyBroken(value, e);
                }
                return value;
              });
    } catch (Guard.Hang hang) {
      fail(iteration, input, "hang: " + hang.getMessage());
      return;
    }
    maxAllocated = Math.max(maxAllocated, outcome.allocated());
    long allowance =
        FuzzSettings.ALLOCATION_BASE + FuzzSettings.ALLOCATION_PER_INPUT_BYTE * input.length;
    if (outcome.allocated() > allowance) {
      fail(iteration, input, "allocated " + outcome.allocated() + " bytes for " + input.length);
    }
    Throwable error = outcome.error();
    if (error == null) {
      decoded++;
    } else if (error instanceof PropertyBroken broken) {
      fail(iteration, input, "decoded to " + broken.value + " which breaks: " + broken.getCause());
    } else if (!target.documented().isInstance(error)) {
      fail(iteration, input, "threw undocumented " + describe(error));
    } else {
      checkMessage(error, iteration, input);
    }
  }

  private void checkMessage(Throwable error, int iteration, byte[] input) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      fail(iteration, input, "no message: " + error.getClass().getName());
    } else if (!Text.isOneLine(message)) {
      fail(iteration, input, "control characters (a line break?) in the message: " + message);
    } else if (message.length() > FuzzSettings.MAX_MESSAGE_CHARS) {
      fail(iteration, input, message.length() + " characters of message: " + message);
    } else {
      refused.merge(kind(error), 1, Integer::sum);
    }
  }

  /** To count refusals by kind: the decode exception's reason, or the exception's type. */
  private static String kind(Throwable error) {
    return error instanceof RecordDecodeException decode
        ? decode.reason().name()
        : error.getClass().getSimpleName();
  }

  private void fail(int iteration, byte[] input, String what) {
    String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 160));
    failures.add(
        String.format(
            "%s, iteration %d: %s%n      input (%d bytes): %s%s",
            target.name(), iteration, what, input.length, hex, input.length > 160 ? "..." : ""));
  }

  private static String describe(Throwable error) {
    StackTraceElement[] trace = error.getStackTrace();
    return error + (trace.length > 0 ? " at " + trace[0] : "");
  }

  /** A decoded value that breaks the target's property. */
  private static final class PropertyBroken extends RuntimeException {
    private final transient Object value;

    PropertyBroken(Object value, Throwable cause) {
      super(cause);
      this.value = value;
    }
  }
}
