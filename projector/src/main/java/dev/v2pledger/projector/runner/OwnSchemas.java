package dev.v2pledger.projector.runner;

import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.registry.LogSchemas;
import java.util.List;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The schemas this projector writes, put into {@code v2p.schemas} once per runner. */
final class OwnSchemas {
  private static final Logger LOG = LoggerFactory.getLogger(OwnSchemas.class);

  private final ProjectorConfig config;
  private final LogSchemas schemas;
  private boolean schemasRegistered;

  OwnSchemas(ProjectorConfig config, LogSchemas schemas) {
    this.config = config;
    this.schemas = schemas;
  }

  /**
   * Puts the schemas this projector writes into {@code v2p.schemas} before its first record, so
   * readers built before them can decode what it writes (DESIGN "Schemas in the log"). A cluster
   * without the topic, or a principal without Write on it, only costs that: readers of this build's
   * schemas decode them anyway.
   */
  void register() {
    if (schemasRegistered) {
      return;
    }
    try {
      List<Schema> written =
          schemas.register(
              List.of(
                  dev.v2pledger.schema.avro.V2PMapping.getClassSchema(),
                  dev.v2pledger.schema.avro.InstanceStateRecord.getClassSchema()));
      schemasRegistered = true;
      if (!written.isEmpty()) {
        LOG.info(
            "{}: registered {} schema(s) in {}",
            config.instanceId(),
            written.size(),
            config.topics().schemas());
      }
    } catch (RuntimeException e) {
      schemasRegistered = true; // say it once; this build's readers need no registry
      LOG.warn(
          "{}: cannot register this projector's schemas in {} (readers built before them will not"
              + " decode its records): {}",
          config.instanceId(),
          config.topics().schemas(),
          KafkaErrors.rootMessage(e));
    }
  }
}
