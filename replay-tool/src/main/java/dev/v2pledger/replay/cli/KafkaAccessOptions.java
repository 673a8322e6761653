package dev.v2pledger.replay.cli;

import dev.v2pledger.runtime.cli.Converters;
import dev.v2pledger.runtime.cli.KafkaLogs;
import dev.v2pledger.runtime.cli.KafkaOptions;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How the replay tool's commands reach Kafka: the cluster ({@link KafkaOptions}) and how long to
 * wait for it (a picocli mixin).
 */
final class KafkaAccessOptions {
  @Mixin KafkaOptions kafkaOptions = new KafkaOptions();

  @Option(
      names = "--timeout",
      defaultValue = "15s",
      paramLabel = "DURATION",
      description = "How long to wait for Kafka before giving up (default: ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofSeconds(15);

  /** Whether a Kafka cluster is configured (flag, file or environment). */
  boolean given() {
    return kafkaOptions.given(System.getenv());
  }

  /**
   * The cluster; a usage error for a bad {@code --timeout} or no bootstrap servers. The command
   * answers in one line, so Kafka's own log is off from here on ({@link KafkaLogs}).
   */
  KafkaAccess access() {
    Converters.checkTimeout("--timeout", timeout);
    KafkaLogs.offForOneAnswer(System.getenv());
    return new KafkaAccess(kafkaOptions.clientConfig(System.getenv()), timeout);
  }
}
