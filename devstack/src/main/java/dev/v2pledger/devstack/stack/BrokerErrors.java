package dev.v2pledger.devstack.stack;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The errors an embedded broker (in this JVM) answered to transactional and data requests, from its
 * request metrics ({@code kafka.network:type=RequestMetrics,name=ErrorsPerSec}): the way to see
 * whether transactions race their predecessors' markers (CONCURRENT_TRANSACTIONS) in a run.
 */
public final class BrokerErrors {
  private static final Set<String> REQUESTS =
      Set.of(
          "Produce",
          "Fetch",
          "AddPartitionsToTxn",
          "AddOffsetsToTxn",
          "TxnOffsetCommit",
          "EndTxn",
          "WriteTxnMarkers",
          "InitProducerId");

  private BrokerErrors() {}

  /**
   * Counts so far, {@code "AddPartitionsToTxn CONCURRENT_TRANSACTIONS" -> n}; empty without one.
   */
  public static Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      for (ObjectName name :
          server.queryNames(
              new ObjectName("kafka.network:type=RequestMetrics,name=ErrorsPerSec,*"), null)) {
        String request = name.getKeyProperty("request");
        String error = name.getKeyProperty("error");
        if (REQUESTS.contains(request) && !"NONE".equals(error)) {
          long count = ((Number) server.getAttribute(name, "Count")).longValue();
          out.merge(request + " " + error, count, Long::sum);
        }
      }
    } catch (JMException e) {
      return Map.of();
    }
    return out;
  }

  /** What {@code after} counted beyond {@code before}, zeros left out. */
  public static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach(
        (key, count) -> {
          long delta = count - before.getOrDefault(key, 0L);
          if (delta > 0) {
            out.put(key, delta);
          }
        });
    return out;
  }
}
