package dev.v2pledger.kafka.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;

/**
 * Configures an {@link EmbeddedKafkaBroker}. Defaults: binds to 127.0.0.1 only, node id 1, one
 * {@code PLAINTEXT} listener used by clients and between brokers plus a {@code CONTROLLER}
 * listener, ports picked at the first start, a temporary directory deleted on close, a random
 * cluster id, {@link BrokerDefaults} plus small thread and buffer sizes.
 *
 * <p>A SASL listener for clients, for example ({@link #scramClients} does this for one user):
 *
 * <pre>{@code
 * EmbeddedKafkaBroker.builder()
 *     .listener("SASL", SecurityProtocol.SASL_PLAINTEXT)
 *     .clientListener("SASL")
 *     .brokerProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512")
 *     .brokerProperty("listener.name.sasl.scram-sha-512.sasl.jaas.config", "...")
 *     .formatArguments("--add-scram", "SCRAM-SHA-512=[name=admin,password=admin-secret]")
 *     .clientProperty("security.protocol", "SASL_PLAINTEXT")
 *     .clientProperty("sasl.mechanism", "SCRAM-SHA-512")
 *     .clientProperty("sasl.jaas.config", "...")
 *     .start();
 * }</pre>
 */
public final class EmbeddedKafkaBrokerBuilder {
  private static final String SCRAM = "SCRAM-SHA-512";

  private String host = "127.0.0.1";
  private int nodeId = 1;
  private String clusterId;
  private final Map<String, SecurityProtocol> listeners = new LinkedHashMap<>();
  private String clientListener = "PLAINTEXT";
  private String interBrokerListener = "PLAINTEXT";
  private final Map<String, String> brokerProperties = new LinkedHashMap<>();
  private final Map<String, Object> clientProperties = new LinkedHashMap<>();
  private final List<String> formatArguments = new ArrayList<>();
  private Path baseDir;
  private boolean removedOnExit;
  private Duration startTimeout = Duration.ofSeconds(60);
  private Time time = Time.SYSTEM;

  EmbeddedKafkaBrokerBuilder() {
    listeners.put("PLAINTEXT", SecurityProtocol.PLAINTEXT);
  }

  /**
   * Clients must log in with SCRAM-SHA-512: a {@code SASL_PLAINTEXT} listener named {@code sasl}
   * becomes the client listener, {@code user} is created with {@code password} when the storage is
   * formatted, and {@link EmbeddedKafkaBroker#clientConfig} logs in as that user.
   *
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder scramClients(String user, String password) {
    return listener("sasl", SecurityProtocol.SASL_PLAINTEXT)
        .clientListener("sasl")
        .brokerProperty("sasl.enabled.mechanisms", SCRAM)
        .brokerProperty(
            "listener.name.sasl.scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;")
        .formatArguments("--add-scram", SCRAM + "=[name=" + user + ",password=" + password + "]")
        .clientProperty("security.protocol", "SASL_PLAINTEXT")
        .clientProperty("sasl.mechanism", SCRAM)
        .clientProperty("sasl.jaas.config", scramLogin(user, password));
  }

  /** A client's {@code sasl.jaas.config} for a SCRAM login as {@code user}. */
  public static String scramLogin(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  /**
   * The address every listener binds to and advertises; loopback by default.
   *
   * @param host an IP address or host name of this machine
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  /**
   * The node id of the combined broker and controller.
   *
   * @param nodeId node id, 1 by default
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder nodeId(int nodeId) {
    this.nodeId = nodeId;
    return this;
  }

  /**
   * The cluster id written when formatting; random by default.
   *
   * @param clusterId a Kafka cluster id (22 characters of URL-safe base64)
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder clusterId(String clusterId) {
    this.clusterId = Objects.requireNonNull(clusterId, "clusterId");
    return this;
  }

  /**
   * Adds (or changes the protocol of) a listener; it gets its own free port at the first start.
   *
   * @param name listener name, case-insensitive, not {@code CONTROLLER}
   * @param protocol its security protocol
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder listener(String name, SecurityProtocol protocol) {
    String normalized = normalize(name);
    if (normalized.equals(BrokerProperties.CONTROLLER_LISTENER)) {
      throw new IllegalArgumentException("the controller listener is managed by the broker");
    }
    listeners.put(normalized, Objects.requireNonNull(protocol, "protocol"));
    return this;
  }

  /**
   * Which listener clients use: {@code bootstrapServers()} and {@code clientConfig()} point at it.
   *
   * @param name a listener name; {@code PLAINTEXT} by default
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder clientListener(String name) {
    this.clientListener = normalize(name);
    return this;
  }

  /**
   * Which listener the broker uses to reach brokers (itself, here).
   *
   * @param name a listener name; {@code PLAINTEXT} by default
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder interBrokerListener(String name) {
    this.interBrokerListener = normalize(name);
    return this;
  }

  /**
   * Sets a broker property, overriding every default, including {@code listeners}, {@code
   * advertised.listeners} and {@code listener.security.protocol.map}. If {@code listeners} is
   * overridden, {@code bootstrapServers()} reads the client listener's address from it.
   *
   * @param key broker property name
   * @param value its value
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder brokerProperty(String key, String value) {
    brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
    return this;
  }

  /**
   * Sets several broker properties, as {@link #brokerProperty} does.
   *
   * @param properties property name to value
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder brokerProperties(Map<String, String> properties) {
    properties.forEach(this::brokerProperty);
    return this;
  }

  /**
   * Adds a setting that every client needs to reach the client listener (security protocol, SASL
   * mechanism, JAAS config...); returned by {@code clientConfig()}.
   *
   * @param key client config name
   * @param value its value
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder clientProperty(String key, Object value) {
    clientProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
    return this;
  }

  /**
   * Extra arguments of {@code kafka-storage format}, e.g. {@code "--add-scram",
   * "SCRAM-SHA-512=[name=admin,password=secret]"}.
   *
   * @param arguments arguments appended in order
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder formatArguments(String... arguments) {
    formatArguments.addAll(List.of(arguments));
    return this;
  }

  /**
   * Uses this directory instead of a temporary one; it is kept on close, and a directory formatted
   * earlier is reused with its data.
   *
   * @param baseDir an existing directory
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder baseDir(Path baseDir) {
    this.baseDir = Objects.requireNonNull(baseDir, "baseDir");
    return this;
  }

  /**
   * Also stops the broker and removes its temporary directory when the JVM stops while it runs
   * (Ctrl-C, SIGTERM from {@code timeout} or {@code docker stop}), not only on {@link
   * EmbeddedKafkaBroker#close()}: a stopped process otherwise leaves the log directories (hundreds
   * of MB of preallocated indexes, apparent size) behind. The stop waits at most {@link
   * EmbeddedKafkaBroker#EXIT_STOP_WAIT}, so that it never keeps the JVM from exiting. A {@link
   * #baseDir} given is the caller's, and kept.
   *
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder removedOnExit() {
    this.removedOnExit = true;
    return this;
  }

  /**
   * Deadline for each start until the broker answers as part of the cluster; 60 s by default.
   *
   * @param startTimeout positive duration
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder startTimeout(Duration startTimeout) {
    this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
    return this;
  }

  /**
   * The clock of the broker and of every deadline; {@link Time#SYSTEM} by default.
   *
   * @param time Kafka time
   * @return this builder
   */
  public EmbeddedKafkaBrokerBuilder time(Time time) {
    this.time = Objects.requireNonNull(time, "time");
    return this;
  }

  /**
   * A broker with these settings, not started yet.
   *
   * @return a new broker
   */
  public EmbeddedKafkaBroker build() {
    return new EmbeddedKafkaBroker(settings());
  }

  /**
   * Builds and starts a broker.
   *
   * @return a running broker
   */
  public EmbeddedKafkaBroker start() {
    EmbeddedKafkaBroker broker = build();
    try {
      return broker.start();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  BrokerSettings settings() {
    return new BrokerSettings(
        host,
        nodeId,
        clusterId != null ? clusterId : Uuid.randomUuid().toString(),
        listeners,
        clientListener,
        interBrokerListener,
        brokerProperties,
        clientProperties,
        formatArguments,
        Optional.ofNullable(baseDir),
        removedOnExit,
        startTimeout,
        time);
  }

  private static String normalize(String listenerName) {
    return Objects.requireNonNull(listenerName, "listenerName").trim().toUpperCase(Locale.ROOT);
  }
}
