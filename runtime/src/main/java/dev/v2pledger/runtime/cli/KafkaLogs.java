package dev.v2pledger.runtime.cli;

import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Kafka's own loggers in a command that runs once and answers in one line ({@code init-topics}, the
 * replay tool's commands): off, unless {@code V2P_KAFKA_LOG_LEVEL} asks for them. There the
 * client's warnings only repeat what that line says ("Connection to node -1 could not be
 * established", once per retry, before "cannot reach Kafka at ... within 15 s"), and a trust store
 * that is not there comes with a stack trace before "the client cannot be created". The daemons
 * keep them at {@code warn} ({@code log4j2.xml}): their log is where an operator looks.
 */
public final class KafkaLogs {
  private KafkaLogs() {}

  /** Turns Kafka's loggers off unless {@code env} names a level for them. */
  public static void offForOneAnswer(Map<String, String> env) {
    if (env.get("V2P_KAFKA_LOG_LEVEL") == null) {
      Configurator.setLevel(Map.of("org.apache.kafka", Level.OFF, "kafka", Level.OFF));
    }
  }
}
