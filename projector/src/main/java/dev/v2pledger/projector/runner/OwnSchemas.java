package dev.v2pledger.projector.runner;

import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.registry.SchemaRegistration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schemas this projector writes, put into {@code v2p.schemas} before its first record and,
 * until that has worked, tried again before a later transaction ({@link SchemaRegistration}).
 */
final class OwnSchemas {
  private static final Logger LOG = LoggerFactory.getLogger(OwnSchemas.class);

  private final ProjectorConfig config;
  private final SchemaRegistration registration;

  OwnSchemas(ProjectorConfig config, LogSchemas schemas) {
    this.config = config;
    this.registration =
        new SchemaRegistration(
            schemas::register,
            List.of(
                dev.v2pledger.schema.avro.V2PMapping.getClassSchema(),
                dev.v2pledger.schema.avro.InstanceStateRecord.getClassSchema()),
            SchemaRegistration.RETRY,
            config.nanoTime());
  }

  /**
   * As a session starts, before it restores: the runner's first attempt, which also reads {@code
   * v2p.schemas}, so that a topic found then and gone later is retried, not taken for "nothing
   * registered" (DESIGN "Schemas in the log"). A failure is only said here (thrown, it would leave
   * the clients just opened, not yet the session's, unclosed): the session's first transaction
   * tries again.
   */
  void atSessionStart() {
    try {
      beforeWrite();
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: cannot register this projector's schemas in {} yet (tried again before its first"
              + " transaction): {}",
          config.instanceId(),
          config.topics().schemas(),
          KafkaErrors.rootMessage(e));
    }
  }

  /**
   * Before a transaction begins: puts the schemas this projector writes into {@code v2p.schemas}
   * unless done, so readers built before them can decode what it writes (DESIGN "Schemas in the
   * log"). A cluster without the topic, or a principal without Write on it, only costs that:
   * readers of this build's schemas decode them anyway; it is tried again every 10 s.
   *
   * @throws SchemaRegistration.NotRegisteredException when it could not be done now for a reason
   *     that may pass (a timeout): retriable, the attempt fails and is retried, so nothing is
   *     written before the schemas are registered
   */
  void beforeWrite() {
    SchemaRegistration.Attempt attempt = registration.beforeWrite();
    switch (attempt.status()) {
      case REGISTERED -> {
        if (!attempt.written().isEmpty() || attempt.refusedBefore()) {
          LOG.info(
              "{}: registered {} schema(s) in {}",
              config.instanceId(),
              attempt.written().size(),
              config.topics().schemas());
        }
      }
      case REFUSED ->
          LOG.warn(
              "{}: cannot register this projector's schemas in {} (readers built before them will"
                  + " not decode its records; tried again every {} s): {}",
              config.instanceId(),
              config.topics().schemas(),
              SchemaRegistration.RETRY.toSeconds(),
              KafkaErrors.rootMessage(Objects.requireNonNull(attempt.refusal())));
      case UNCHANGED -> {}
    }
  }
}
