package dev.v2pledger.kafka.embedded.junit;

import java.util.Arrays;
import java.util.Locale;

/** Where the Kafka cluster of a test class comes from. */
public enum BrokerSource {
  /** A broker inside the test JVM ({@code EmbeddedKafkaBroker}); the default. */
  EMBEDDED,
  /** A Testcontainers Kafka container; tests are skipped when no Docker engine is reachable. */
  TESTCONTAINERS;

  /** System property selecting the source: {@code embedded} or {@code testcontainers}. */
  public static final String PROPERTY = "v2p.test.broker";

  /** System property naming the image of the {@code testcontainers} source. */
  public static final String IMAGE_PROPERTY = "v2p.test.kafka-image";

  /**
   * The source named by the {@value #PROPERTY} system property.
   *
   * @return the selected source, {@link #EMBEDDED} when the property is not set
   * @throws IllegalArgumentException if the property names no source
   */
  public static BrokerSource fromSystemProperties() {
    return parse(System.getProperty(PROPERTY));
  }

  /**
   * Parses a source name, case-insensitively; blank or null means {@link #EMBEDDED}.
   *
   * @param value the name
   * @return the source
   * @throws IllegalArgumentException for an unknown name
   */
  public static BrokerSource parse(String value) {
    if (value == null || value.isBlank()) {
      return EMBEDDED;
    }
    String wanted = value.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(source -> source.name().equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    PROPERTY + "=" + value + " is not one of embedded, testcontainers"));
  }
}
