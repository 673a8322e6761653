package dev.v2pledger.projector.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * A projector's transaction time box and how long it keeps what is gone, declared once for the
 * commands that start projectors: {@code projector run} and {@code devstack run}, which passes them
 * to the projectors it starts itself (a picocli mixin: {@code @Mixin TransactionAndRetentionOptions
 * projecting = new TransactionAndRetentionOptions();}). The values are checked where they are used
 * ({@code ProjectorConfig}, devstack's {@code RunOptions}).
 */
public final class TransactionAndRetentionOptions {
  @Option(
      names = "--max-tx-age",
      paramLabel = "DURATION",
      defaultValue = "5ms",
      description =
          "A projector commits its transaction once it is this old (looked at after each poll's"
              + " batch); 0ms commits after every poll batch (default: ${DEFAULT-VALUE}).")
  Duration maxTxAge;

  @Option(
      names = "--retire-after",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description =
          "A projector removes what is gone for good this long after it went: tombstones for"
              + " mapping keys of released allocations and for deleted instances' states; 0s keeps"
              + " everything (default: ${DEFAULT-VALUE}).")
  Duration retireAfter;

  public Duration maxTxAge() {
    return maxTxAge;
  }

  public Duration retireAfter() {
    return retireAfter;
  }
}
