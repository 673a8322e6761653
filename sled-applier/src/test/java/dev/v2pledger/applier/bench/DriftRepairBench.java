package dev.v2pledger.applier.bench;

import dev.v2pledger.applier.bench.StampedSets.Stamped;
import dev.v2pledger.applier.runner.AdminEndpoints;
import dev.v2pledger.applier.runner.ApplierConfig;
import dev.v2pledger.applier.runner.SledApplier;
import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.runtime.http.Metrics;
import dev.v2pledger.runtime.http.OpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drift repair latency: with N mappings (default 10,000) applied on a sled, XDE destroys a port
 * (the entry disappears), the sled agent calls {@code POST /reconcile}, and the clock stops when
 * the simulated device has the entry back. Goal: p99 at most 5 ms for 10 k mappings.
 */
public final class DriftRepairBench {
  private DriftRepairBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int repairs = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    try (EmbeddedKafkaBroker broker = BenchData.broker(8)) {
      BenchData.produce(broker, n);
      Sled sled = Sled.number(99);
      StampedSets restored = new StampedSets(sled, m -> m.before() == null);
      SimulatedXde device = restored.device;
      PrometheusMeterRegistry registry = Metrics.newRegistry("sled-applier", sled.id().toString());
      ApplierConfig config =
          ApplierConfig.of(sled.id(), broker.clientConfig())
              .withReconcileInterval(Duration.ofHours(1));
      try (SledApplier applier = SledApplier.start(config, device, registry);
          OpsServer admin = AdminEndpoints.start("127.0.0.1", 0, registry, applier)) {
        BenchData.awaitReady(applier, Duration.ofSeconds(120));
        restored.sets.clear();
        measure(device, restored.sets, admin.port(), repairs, applier);
      }
    }
  }

  private static void measure(
      SimulatedXde device,
      BlockingQueue<Stamped> restored,
      int port,
      int repairs,
      SledApplier applier)
      throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest post =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/reconcile"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    List<XdeMapping> entries = new ArrayList<>(device.table().values());
    Random random = new Random(42);
    int warmup = repairs / 4;
    long[] latency = new long[repairs];
    long[] http = new long[repairs];
    long[] passes = new long[repairs];
    for (int i = -warmup; i < repairs; i++) {
      XdeMapping victim = entries.get(random.nextInt(entries.size()));
      device.destroyPort(victim.vip().vni(), victim.vip().ip());
      long start = System.nanoTime();
      HttpResponse<Void> response = client.send(post, HttpResponse.BodyHandlers.discarding());
      long answered = System.nanoTime();
      Stamped back = restored.poll(5, TimeUnit.SECONDS);
      if (response.statusCode() != 202
          || back == null
          || !back.mutation().vip().equals(victim.vip())) {
        throw new IllegalStateException(
            "repair " + i + " failed: " + response.statusCode() + " " + back);
      }
      if (i >= 0) {
        latency[i] = back.nanos() - start;
        http[i] = answered - start;
        passes[i] = applier.lastPass().took().toNanos();
      }
    }
    System.out.printf(
        "drift repair after POST /reconcile, %,d mappings on the sled%n", entries.size());
    System.out.printf(
        "  (sun.net.httpserver.nodelay=%s)%n", System.getProperty("sun.net.httpserver.nodelay"));
    System.out.println("  POST sent to entry restored:  " + new Stats(latency).micros());
    System.out.println("  POST round trip (202 back):   " + new Stats(http).micros());
    System.out.println("  reconcile pass alone:         " + new Stats(passes).micros());
  }
}
