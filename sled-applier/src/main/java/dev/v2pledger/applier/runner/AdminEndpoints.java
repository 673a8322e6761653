package dev.v2pledger.applier.runner;

import dev.v2pledger.ops.OpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The applier's HTTP endpoints: the shared {@code /metrics}, {@code /healthz}, {@code /readyz}, and
 * {@code POST /reconcile}, which the sled agent calls after it creates or destroys a port (answers
 * 202 at once; the pass runs on the applier's thread, right after the current step).
 */
public final class AdminEndpoints {
  private AdminEndpoints() {}

  public static OpsServer start(
      String host, int port, PrometheusMeterRegistry registry, SledApplier applier) {
    OpsServer server =
        OpsServer.start(host, port, registry, applier::livenessProblem, applier::readinessProblem);
    server.route(
        "POST",
        "/reconcile",
        body -> {
          applier.requestReconcile();
          return new OpsServer.Response(202, "reconcile scheduled\n");
        });
    return server;
  }
}
