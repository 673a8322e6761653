package dev.v2pledger.schema.testing;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.registry.LogSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/** The schema registry {@code v2p.schemas} on a bad day, for readers' tests. */
public final class Registries {
  private Registries() {}

  /** What {@link LogSchemas} throws for a principal without Read on {@code v2p.schemas}. */
  public static SchemaSource refusing() {
    return new SchemaSource() {
      @Override
      public Schema find(long fingerprint) {
        throw new TopicAuthorizationException(Set.of(Topics.SCHEMAS));
      }

      @Override
      public String name() {
        return Topics.SCHEMAS;
      }
    };
  }

  /**
   * A registry on a port where nothing listens: a lookup of a schema this build lacks times out
   * (after {@link LogSchemas}' read timeout).
   */
  public static LogSchemas unreachable() {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return LogSchemas.open(
        Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port));
  }
}
