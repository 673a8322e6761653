package dev.v2pledger.hardening.security;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBrokerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The embedded KRaft broker as a secured cluster: SCRAM-SHA-512 users created at format time, a
 * {@code SASL_PLAINTEXT} listener and a {@code SASL_SSL} one (the certificate of {@link TlsFiles}),
 * and {@code StandardAuthorizer} with no access unless an ACL allows it. {@code admin} is a super
 * user; so is {@code ANONYMOUS}, the principal of the plaintext listener the broker and its
 * controller use between themselves (on loopback; a real cluster authenticates that listener too).
 * Each user gets a client properties file per listener, exactly what an operator passes with {@code
 * --kafka-config}.
 */
final class SecureBroker implements AutoCloseable {
  static final String SCRAM = "SCRAM-SHA-512";
  static final String SASL = "SASL";
  static final String TLS = "TLS";

  /** User name to password; every component runs as its own principal. */
  static final Map<String, String> USERS =
      Map.of(
          "admin", "admin-secret",
          "operator", "operator-secret",
          "projector", "projector-secret",
          "applier", "applier-secret",
          "publisher", "publisher-secret",
          "replay", "replay-secret");

  private final EmbeddedKafkaBroker broker;
  private final TlsFiles tls;
  private final Path directory;

  private SecureBroker(EmbeddedKafkaBroker broker, TlsFiles tls, Path directory) {
    this.broker = broker;
    this.tls = tls;
    this.directory = directory;
  }

  private static SecureBroker start(Path directory) throws IOException, InterruptedException {
    TlsFiles tls = TlsFiles.create(directory);
    String serverJaas = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    EmbeddedKafkaBrokerBuilder builder =
        EmbeddedKafkaBroker.builder()
            .listener(SASL, SecurityProtocol.SASL_PLAINTEXT)
            .listener(TLS, SecurityProtocol.SASL_SSL)
            .clientListener(SASL)
            .brokerProperty("sasl.enabled.mechanisms", SCRAM)
            .brokerProperty("listener.name.sasl.scram-sha-512.sasl.jaas.config", serverJaas)
            .brokerProperty("listener.name.tls.scram-sha-512.sasl.jaas.config", serverJaas)
            .brokerProperty("listener.name.tls.ssl.keystore.type", "PKCS12")
            .brokerProperty("listener.name.tls.ssl.keystore.location", tls.keystore().toString())
            .brokerProperty("listener.name.tls.ssl.keystore.password", tls.password())
            .brokerProperty("listener.name.tls.ssl.key.password", tls.password())
            .brokerProperty(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
            .brokerProperty("super.users", "User:admin;User:ANONYMOUS")
            .brokerProperty("allow.everyone.if.no.acl.found", "false");
    USERS.forEach(
        (user, password) ->
            builder.formatArguments(
                "--add-scram", SCRAM + "=[name=" + user + ",password=" + password + "]"));
    clientSettings("admin", USERS.get("admin"), null).forEach(builder::clientProperty);
    return new SecureBroker(builder.start(), tls, directory);
  }

  /**
   * {@link #start}, then {@link #grantAclsAndCreateTopics}: the cluster the tests here begin with
   * (closed again if the grants or the topics fail).
   */
  static SecureBroker startWithAclsAndTopics(Path directory) throws Exception {
    SecureBroker secure = start(directory);
    try {
      secure.grantAclsAndCreateTopics();
    } catch (Exception e) {
      secure.close();
      throw e;
    }
    return secure;
  }

  EmbeddedKafkaBroker broker() {
    return broker;
  }

  /** The admin's client settings (a super user). */
  Map<String, Object> adminConfig() {
    return broker.clientConfig();
  }

  String bootstrap(String listener) {
    return broker.bootstrapServers(listener);
  }

  /** A {@code --kafka-config} file for {@code user} on the SASL listener. */
  Path clientFile(String user) {
    return clientFile(user, USERS.get(user), SASL);
  }

  /** A {@code --kafka-config} file: bootstrap servers of {@code listener}, SASL, TLS if it is. */
  Path clientFile(String user, String password, String listener) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("bootstrap.servers", bootstrap(listener));
    settings.putAll(clientSettings(user, password, listener.equals(TLS) ? tls : null));
    Path file =
        directory.resolve(user + "-" + password.hashCode() + "-" + listener + ".properties");
    String text =
        settings.entrySet().stream()
            .map(e -> e.getKey() + "=" + escape(e.getValue().toString()))
            .collect(Collectors.joining("\n", "", "\n"));
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** What any Kafka client needs to log in as {@code user} (and trust the broker over TLS). */
  static Map<String, Object> clientSettings(String user, String password, TlsFiles tls) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("security.protocol", tls == null ? "SASL_PLAINTEXT" : "SASL_SSL");
    settings.put("sasl.mechanism", SCRAM);
    settings.put("sasl.jaas.config", jaas(user, password));
    if (tls != null) {
      settings.put("ssl.truststore.type", "PKCS12");
      settings.put("ssl.truststore.location", tls.truststore().toString());
      settings.put("ssl.truststore.password", tls.password());
    }
    return settings;
  }

  static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\");
  }

  /**
   * Grants every component's ACLs (as the admin), then creates the topics through {@code projector
   * init-topics} run as the operator, who may only create and describe them.
   */
  private void grantAclsAndCreateTopics() throws Exception {
    List<AclBinding> acls = new ArrayList<>();
    acls.addAll(Acls.initTopics("operator"));
    acls.addAll(Acls.projector("projector"));
    acls.addAll(Acls.applier("applier"));
    acls.addAll(Acls.publisher("publisher"));
    acls.addAll(Acls.replay("replay"));
    try (Admin admin = Admin.create(adminConfig())) {
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }
    Commands.Run init =
        Commands.projector(
            Map.of(),
            "init-topics",
            "--kafka-config",
            clientFile("operator").toString(),
            "--partitions",
            "3",
            "--timeout",
            "30s");
    if (init.exit() != 0) {
      throw new IllegalStateException("init-topics as the operator failed: " + init.err());
    }
  }

  @Override
  public void close() {
    broker.close();
  }
}
