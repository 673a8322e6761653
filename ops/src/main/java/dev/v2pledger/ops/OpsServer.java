package dev.v2pledger.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoints of a process: {@code GET /metrics} (Prometheus text), {@code GET
 * /healthz} (200 while the process works, 503 with the reason once it does not), {@code GET
 * /readyz} (200 once ready, 503 with the reason before), and routes a component adds (the applier's
 * {@code POST /reconcile}). Built on the JDK's HTTP server, one small thread pool.
 */
public final class OpsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

  /** Tells why a process is not ready, or null when it is. */
  @FunctionalInterface
  public interface Check {
    @Nullable String problem();
  }

  /** Answers one request of an added route. */
  @FunctionalInterface
  public interface Route {
    Response handle(String body);
  }

  /** A status and a plain-text body. */
  public record Response(int status, String body) {
    public static Response ok(String body) {
      return new Response(200, body);
    }
  }

  static {
    // Without TCP_NODELAY the JDK server's small answers wait ~40 ms for a delayed ACK (measured:
    // POST /reconcile round trip p50 44 ms); read once when the server classes load.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private OpsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one).
   *
   * @param liveness why the process no longer works, or null while it does
   * @param readiness why the process is not ready yet, or null once it is
   */
  public static OpsServer start(
      String host, int port, PrometheusMeterRegistry registry, Check liveness, Check readiness) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "ops-http");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    OpsServer ops = new OpsServer(server, executor);
    ops.route("GET", "/metrics", body -> Response.ok(registry.scrape()));
    ops.route("GET", "/healthz", body -> answer(liveness, "ok"));
    ops.route("GET", "/readyz", body -> answer(readiness, "ready"));
    server.start();
    LOG.info("operations endpoints on http://{}:{}/ (metrics, healthz, readyz)", host, ops.port());
    return ops;
  }

  private static Response answer(Check check, String fine) {
    String problem = check.problem();
    return problem == null ? Response.ok(fine + "\n") : new Response(503, problem + "\n");
  }

  /** Adds a route answering {@code method path}; other methods on the path get 405. */
  public void route(String method, String path, Route route) {
    server.createContext(path, exchange -> serve(exchange, method, route));
  }

  private static void serve(HttpExchange exchange, String method, Route route) throws IOException {
    try (exchange) {
      Response response;
      if (!exchange.getRequestMethod().equalsIgnoreCase(method)) {
        response = new Response(405, "use " + method + "\n");
      } else {
        try {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          response = route.handle(body);
        } catch (RuntimeException e) {
          LOG.warn("{} {} failed", method, exchange.getRequestURI(), e);
          response = new Response(500, "internal error: " + e.getMessage() + "\n");
        }
      }
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
