package dev.v2pledger.projector.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The brokers that create a topic the first time a client writes to it ({@code
 * auto.create.topics.enable=true}, Kafka's default). There a write to a deleted {@code v2p.*} topic
 * creates it again with the broker's defaults: a {@code v2p.mappings} that is not compacted and
 * holds only what came after, from which an applier started later would clear its sled's table.
 * {@code init-topics} warns of them.
 */
public final class AutoCreatingBrokers {
  static final String SETTING = "auto.create.topics.enable";

  private AutoCreatingBrokers() {}

  /**
   * The ids of the brokers with the setting on; empty when none has it, or when the brokers'
   * configs cannot be read (DescribeConfigs on the cluster), which is only a warning's loss.
   */
  public static List<Integer> of(Admin admin, Duration timeout) {
    try {
      List<ConfigResource> brokers = new ArrayList<>();
      for (Node node :
          admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        brokers.add(new ConfigResource(ConfigResource.Type.BROKER, node.idString()));
      }
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(brokers).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<Integer> on = new ArrayList<>();
      configs.forEach(
          (broker, config) -> {
            ConfigEntry entry = config.get(SETTING);
            if (entry != null && "true".equalsIgnoreCase(entry.value())) {
              on.add(Integer.parseInt(broker.name()));
            }
          });
      on.sort(null);
      return on;
    } catch (ExecutionException | TimeoutException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /** The warning line for {@code brokers} (not empty). */
  public static String warning(List<Integer> brokers) {
    return "WARNING broker(s) "
        + brokers
        + " have "
        + SETTING
        + "=true: a write to a deleted v2p.* topic creates it again with the broker's defaults"
        + " (v2p.mappings uncompacted and nearly empty, from which a restarted applier would clear"
        + " its sled's table); set it to false";
  }
}
