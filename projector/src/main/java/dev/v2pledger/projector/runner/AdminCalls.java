package dev.v2pledger.projector.runner;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Waiting on admin results the same way everywhere in the runner: a Kafka error comes out as it is
 * (so an {@code AuthorizationException} stays one), anything else wrapped with what was being done,
 * a wait past its bound as a {@link TimeoutException} naming it.
 */
final class AdminCalls {
  private AdminCalls() {}

  static <T> T get(KafkaFuture<T> future, long timeoutMs, String what) {
    try {
      return future.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof KafkaException k ? k : new KafkaException(what + " failed", cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException(what + " timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  /** The end offsets of {@code partitions} as a reader with {@code isolation} sees them. */
  static Map<TopicPartition, Long> endOffsets(
      Admin admin,
      Collection<TopicPartition> partitions,
      IsolationLevel isolation,
      long timeoutMs) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    ListOffsetsOptions options =
        new ListOffsetsOptions(isolation).timeoutMs((int) Math.min(timeoutMs, Integer.MAX_VALUE));
    Map<TopicPartition, Long> out = new HashMap<>();
    get(
            admin.listOffsets(request, options).all(),
            timeoutMs,
            "listing end offsets of " + partitions)
        .forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }
}
