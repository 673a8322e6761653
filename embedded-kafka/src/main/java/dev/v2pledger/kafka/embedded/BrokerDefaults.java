package dev.v2pledger.kafka.embedded;

import java.util.Map;

/**
 * Broker settings for a one-node test or devstack cluster, shared by the embedded broker and the
 * containerized one so both behave alike: replication factor 1 for every internal topic, no
 * automatic topic creation, no initial rebalance delay, few partitions; and a transactional write
 * that meets its predecessor's markers still being written waits for them in the broker (up to 2 s)
 * instead of failing back to the producer after 100 ms, which would reject the producer's next
 * in-flight batch as out of order (KAFKA-18202; DESIGN "The latency path"). Groups of the consumer
 * protocol (KIP-848, the projectors') get a 10 s session (the broker's default is 45 s) with a
 * heartbeat every second, and a group may set its own {@code consumer.session.timeout.ms} down to 1
 * s and {@code consumer.heartbeat.interval.ms} down to 250 ms (tests that drop a member quickly).
 */
public final class BrokerDefaults {

  private BrokerDefaults() {}

  /**
   * The shared defaults; each can be overridden per broker.
   *
   * @return an immutable map of broker property to value
   */
  public static Map<String, String> properties() {
    return Map.ofEntries(
        Map.entry("auto.create.topics.enable", "false"),
        Map.entry("num.partitions", "1"),
        Map.entry("default.replication.factor", "1"),
        Map.entry("min.insync.replicas", "1"),
        Map.entry("offsets.topic.replication.factor", "1"),
        Map.entry("offsets.topic.num.partitions", "4"),
        Map.entry("transaction.state.log.replication.factor", "1"),
        Map.entry("transaction.state.log.min.isr", "1"),
        Map.entry("transaction.state.log.num.partitions", "4"),
        Map.entry("share.coordinator.state.topic.replication.factor", "1"),
        Map.entry("share.coordinator.state.topic.min.isr", "1"),
        Map.entry("group.initial.rebalance.delay.ms", "0"),
        Map.entry("add.partitions.to.txn.retry.backoff.max.ms", "2000"),
        Map.entry("group.consumer.session.timeout.ms", "10000"),
        Map.entry("group.consumer.min.session.timeout.ms", "1000"),
        Map.entry("group.consumer.heartbeat.interval.ms", "1000"),
        Map.entry("group.consumer.min.heartbeat.interval.ms", "250"));
  }
}
