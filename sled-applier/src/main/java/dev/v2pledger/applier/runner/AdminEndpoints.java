package dev.v2pledger.applier.runner;

import dev.v2pledger.runtime.http.OpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The applier's HTTP endpoints: the shared {@code /metrics}, {@code /healthz}, {@code /readyz};
 * {@code POST /reconcile}, which the sled agent calls after it creates or destroys a port (answers
 * 202 at once; the pass runs on the applier's thread, right after the current step); and {@code
 * POST /skip?partition=P&offset=O}, with which an operator gives up on a record the applier holds
 * because it cannot decode it (200 "skipped ...", 404 when that record is not held, 400 for bad
 * parameters or a parameter given twice, 202 "queued" when it is not done within 10 s (the applier
 * busy, or still waiting for {@code v2p.mappings}) and is done at the next step, 429 at once, with
 * nothing queued, while another skip waits for its answer (one server thread stays free for the
 * probes), 503 before the applier exists, once it stopped, or when it stops before doing a queued
 * skip).
 */
public final class AdminEndpoints {
  private static final Duration SKIP_ANSWER = Duration.ofSeconds(10);

  private AdminEndpoints() {}

  private static OpsServer.Response skip(
      @Nullable SledApplier applier,
      OpsServer.Request request,
      Duration answerWithin,
      Semaphore waiter) {
    Map<String, String> params;
    try {
      params = request.params();
    } catch (IllegalArgumentException e) {
      return new OpsServer.Response(400, e.getMessage() + "\n");
    }
    int partition;
    long offset;
    try {
      partition = Integer.parseInt(params.getOrDefault("partition", ""));
      offset = Long.parseLong(params.getOrDefault("offset", ""));
    } catch (NumberFormatException e) {
      partition = -1;
      offset = -1;
    }
    if (partition < 0 || offset < 0) {
      return new OpsServer.Response(
          400, "give the held record as ?partition=P&offset=O (two numbers, 0 or more)\n");
    }
    OpsServer.Response unavailable = unavailable(applier);
    if (unavailable != null && (applier == null || !applier.stoppedByClose())) {
      return unavailable; // nothing would answer it soon; a closed one says which it did not skip
    }
    // One request at a time waits for its answer: the server's other thread stays free for the
    // probes and /metrics (two waiting skips held both threads for 10 s). Another is not queued:
    // queued with a 202, its answer ("not held", say) would never reach its caller
    if (!waiter.tryAcquire()) {
      return new OpsServer.Response(
          429, "another skip is waiting for its answer; this one was not queued: ask again\n");
    }
    try {
      String answer =
          applier.skip(partition, offset).get(answerWithin.toMillis(), TimeUnit.MILLISECONDS);
      int status = answer.startsWith("skipped") ? 200 : answer.startsWith("not held") ? 404 : 503;
      return new OpsServer.Response(status, answer + "\n");
    } catch (TimeoutException e) {
      return new OpsServer.Response( // queued: it is done at the applier's next step
          202,
          "queued: the applier is busy and skips it at its next step; /readyz then no longer"
              + " names it\n");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new OpsServer.Response(503, "interrupted\n");
    } catch (ExecutionException e) {
      return new OpsServer.Response(500, e.getCause().getMessage() + "\n");
    } finally {
      waiter.release();
    }
  }

  /**
   * 503 with why when {@code applier} is not started, was closed or has stopped; null when it can
   * act (then it is not null).
   */
  private static OpsServer.@Nullable Response unavailable(@Nullable SledApplier applier) {
    if (applier == null) {
      return new OpsServer.Response(503, "starting\n");
    }
    String stopped = applier.stoppedProblem();
    return stopped == null ? null : new OpsServer.Response(503, stopped + "\n");
  }

  public static OpsServer start(
      String host, int port, PrometheusMeterRegistry registry, SledApplier applier) {
    return start(host, port, registry, () -> applier);
  }

  /**
   * The endpoints of an applier that may not be started yet ({@code applier} gives null until it
   * is): they answer "starting" until then. A command binds its port this way before any Kafka
   * work, so a bad host or a port in use is refused at once.
   */
  public static OpsServer start(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Supplier<@Nullable SledApplier> applier) {
    return start(host, port, registry, applier, SKIP_ANSWER);
  }

  /**
   * As above; {@code POST /skip} answers 202 when the skip is not done within {@code skipAnswer}.
   */
  static OpsServer start(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Supplier<@Nullable SledApplier> applier,
      Duration skipAnswer) {
    OpsServer server =
        OpsServer.start(
            host,
            port,
            registry,
            () -> applier.get() == null ? null : applier.get().livenessProblem(),
            () -> applier.get() == null ? "starting" : applier.get().readinessProblem());
    server.route(
        "POST",
        "/reconcile",
        body -> {
          SledApplier started = applier.get();
          OpsServer.Response unavailable = unavailable(started);
          if (unavailable != null) { // no pass would ever run it
            return unavailable;
          }
          started.requestReconcile();
          return new OpsServer.Response(202, "reconcile scheduled\n");
        });
    Semaphore waiter = new Semaphore(1);
    server.routeRequest(
        "POST", "/skip", request -> skip(applier.get(), request, skipAnswer, waiter));
    return server;
  }
}
