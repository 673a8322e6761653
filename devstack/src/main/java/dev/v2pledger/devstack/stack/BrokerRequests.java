package dev.v2pledger.devstack.stack;

import java.lang.management.ManagementFactory;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What an embedded broker (in this JVM) answered, from its request metrics ({@code
 * kafka.network:type=RequestMetrics,name=ErrorsPerSec}, one counter per request type and error,
 * {@code NONE} included): how many requests of each type a run cost the broker, and the errors of
 * transactional and data requests, the way to see whether transactions race their predecessors'
 * markers (CONCURRENT_TRANSACTIONS).
 */
public final class BrokerRequests {
  private static final Set<String> ERRORS_OF =
      Set.of(
          "Produce",
          "Fetch",
          "AddPartitionsToTxn",
          "AddOffsetsToTxn",
          "TxnOffsetCommit",
          "EndTxn",
          "WriteTxnMarkers",
          "InitProducerId");

  private BrokerRequests() {}

  /**
   * Counts so far, {@code "Fetch NONE" -> n, "AddPartitionsToTxn CONCURRENT_TRANSACTIONS" -> m};
   * empty without an embedded broker.
   */
  public static Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      for (ObjectName name :
          server.queryNames(
              new ObjectName("kafka.network:type=RequestMetrics,name=ErrorsPerSec,*"), null)) {
        long count = ((Number) server.getAttribute(name, "Count")).longValue();
        out.merge(
            name.getKeyProperty("request") + " " + name.getKeyProperty("error"), count, Long::sum);
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

  /** The errors among {@code counts} (of transactional and data requests), by request and error. */
  public static Map<String, Long> errors(Map<String, Long> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach(
        (key, count) -> {
          String[] requestAndError = key.split(" ", 2);
          if (ERRORS_OF.contains(requestAndError[0]) && !"NONE".equals(requestAndError[1])) {
            out.put(key, count);
          }
        });
    return out;
  }

  /** Requests of each type among {@code counts}, whatever their answer, the most frequent first. */
  public static Map<String, Long> requests(Map<String, Long> counts) {
    Map<String, Long> byType = new TreeMap<>();
    counts.forEach((key, count) -> byType.merge(key.split(" ", 2)[0], count, Long::sum));
    Map<String, Long> out = new LinkedHashMap<>();
    byType.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .forEach(entry -> out.put(entry.getKey(), entry.getValue()));
    return out;
  }
}
