package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.U;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.runtime.http.OpsServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The endpoints of an applier not started yet (FailSafeIT answers them with one running). */
class AdminEndpointsTest {
  private static final String SKIP = "/skip?partition=0&offset=1";

  @Test
  void aSkipIsCheckedBeforeAnything_thenAStartingApplierSaysSo() throws Exception {
    try (OpsServer ops =
        AdminEndpoints.start(
            "127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> null)) {
      String bad = "400 give the held record as ?partition=P&offset=O (two numbers, 0 or more)";

      assertThat(post(ops, "/skip?partition=-1&offset=5")).isEqualTo(bad);
      assertThat(post(ops, "/skip?partition=1&offset=-5")).isEqualTo(bad);
      assertThat(post(ops, "/skip?partition=x&offset=5")).isEqualTo(bad);
      assertThat(post(ops, "/skip")).isEqualTo(bad);
      assertThat(post(ops, "/skip?partition=1&offset=5&offset=7"))
          .isEqualTo("400 query parameter 'offset' given twice");
      assertThat(post(ops, "/skip?partition=1&offset=5")).isEqualTo("503 starting");
      assertThat(post(ops, "/reconcile")).isEqualTo("503 starting");
      assertThat(post(ops, "/skipper?partition=1&offset=5")).isEqualTo("404 no such endpoint");
    }
  }

  /**
   * The server has two threads: while one skip waits for its answer, another is refused at once
   * (429, nothing queued), so the probes are still answered (two waiting skips held both threads
   * for 10 s and a liveness probe with a shorter timeout restarted a healthy applier). It was
   * queued with a 202 instead, and when its skip then ended "not held" nobody saw the 404.
   */
  @Test
  void whileOneSkipWaitsForItsAnswer_anotherIsRefusedAtOnce_andTheProbesAnswer() throws Exception {
    Map<String, Object> nowhere = // the applier waits for Kafka: a skip is not done meanwhile
        Map.of("bootstrap.servers", "127.0.0.1:1", "reconnect.backoff.max.ms", 200);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (SledApplier applier = anApplier(nowhere, registry);
        OpsServer ops =
            AdminEndpoints.start("127.0.0.1", 0, registry, () -> applier, Duration.ofMinutes(2))) {
      ExecutorService clients = Executors.newFixedThreadPool(2);
      try {
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() -> post(ops, SKIP), clients);
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> post(ops, SKIP), clients);
        await().atMost(Duration.ofSeconds(30)).until(() -> a.isDone() || b.isDone());
        CompletableFuture<String> waiting = a.isDone() ? b : a;

        String busy =
            "429 another skip is waiting for its answer; this one was not queued: ask again";
        assertThat(a.isDone() ? a.join() : b.join()).isEqualTo(busy);
        assertThat(post(ops, SKIP)).isEqualTo(busy);
        assertThat(get(ops, "/healthz")).isEqualTo("200 ok");
        assertThat(get(ops, "/readyz")).isEqualTo("503 connecting to Kafka");
        assertThat(waiting).isNotDone();
      } finally {
        clients.shutdownNow();
      }
    }
  }

  /**
   * An applier that stopped runs no pass: /reconcile says so (503 with why), as /skip and /healthz
   * do, rather than 202 "reconcile scheduled" for a pass that never comes.
   */
  @Test
  void aReconcileOnceTheApplierStopped_is503WithWhy() throws Exception {
    Map<String, Object> refused = // a client the applier cannot create: it stops at once
        Map.of("bootstrap.servers", "127.0.0.1:1", "security.protocol", "BOGUS");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (SledApplier applier = anApplier(refused, registry);
        OpsServer ops = AdminEndpoints.start("127.0.0.1", 0, registry, () -> applier)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> applier.livenessProblem() != null);

      assertThat(post(ops, "/reconcile")).isEqualTo("503 " + applier.livenessProblem());
      assertThat(get(ops, "/healthz")).startsWith("503 stopped: ");
    }
  }

  /**
   * An applier closed (SIGTERM: {@code run} closes the applier before the endpoints, and an
   * embedder may keep its server) runs no pass and does no skip: /reconcile and /skip say so, 503
   * as /readyz does, rather than 202 "reconcile scheduled" for a pass that never comes, or, for a
   * skip, a wait for an answer that never comes and then 202 "queued".
   */
  @Test
  void aReconcileOrASkipOnceTheApplierWasClosed_is503() throws Exception {
    Map<String, Object> nowhere = // no broker: the applier waits for Kafka until closed
        Map.of("bootstrap.servers", "127.0.0.1:1", "reconnect.backoff.max.ms", 200);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SledApplier applier = anApplier(nowhere, registry);
    try (OpsServer ops =
        AdminEndpoints.start("127.0.0.1", 0, registry, () -> applier, Duration.ofSeconds(5))) {
      applier.close();
      assertThat(applier.awaitTermination(Duration.ofSeconds(30))).isTrue();

      assertThat(get(ops, "/readyz")).isEqualTo("503 stopped");
      assertThat(post(ops, "/reconcile")).isEqualTo("503 stopped");
      assertThat(post(ops, SKIP)) // as FailSafeIT's skip after a close: naming what it did not do
          .isEqualTo("503 not done: the applier stopped before it could skip v2p.mappings-0@1");
    }
  }

  /** Sled U's applier on a simulated XDE, started with {@code kafka}'s client settings. */
  private static SledApplier anApplier(
      Map<String, Object> kafka, PrometheusMeterRegistry registry) {
    return SledApplier.start(
        ApplierConfig.of(U.id(), kafka),
        new SimulatedXde(U.underlay(), Clock.systemUTC()),
        registry);
  }

  /** POSTs to {@code path} of {@code ops}: the status and the body's one line. */
  static String post(OpsServer ops, String path) {
    return send(ops, path, HttpRequest.BodyPublishers.noBody());
  }

  private static String get(OpsServer ops, String path) {
    return send(ops, path, null);
  }

  private static String send(OpsServer ops, String path, HttpRequest.@Nullable BodyPublisher post) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path))
            .timeout(Duration.ofSeconds(60));
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  post == null ? request.build() : request.POST(post).build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body().strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
