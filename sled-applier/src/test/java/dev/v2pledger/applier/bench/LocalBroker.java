package dev.v2pledger.applier.bench;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;

/**
 * A broker to try the applier against until devstack exists: an embedded Kafka with {@code
 * v2p.mappings} (3 partitions) holding N sample mappings (default 1,000), running until killed.
 * Prints its bootstrap address.
 */
public final class LocalBroker {
  private LocalBroker() {}

  public static void main(String[] args) throws InterruptedException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
    EmbeddedKafkaBroker broker = BenchData.broker(3);
    BenchData.produce(broker, n);
    System.out.println("bootstrap servers: " + broker.bootstrapServers());
    System.out.println("v2p.mappings holds " + n + " mappings; Ctrl-C stops the broker");
    Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
    Thread.currentThread().join();
  }
}
