package dev.v2pledger.applier.runner;

import dev.v2pledger.ops.OpsServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The applier's HTTP endpoints: the shared {@code /metrics}, {@code /healthz}, {@code /readyz}, and
 * {@code POST /reconcile}, which the sled agent calls after it creates or destroys a port (answers
 * 202 at once; the pass runs on the applier's thread, right after the current step).
 */
public final class AdminEndpoints {
  private AdminEndpoints() {}

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
          if (started == null) {
            return new OpsServer.Response(503, "starting\n");
          }
          started.requestReconcile();
          return new OpsServer.Response(202, "reconcile scheduled\n");
        });
    return server;
  }
}
