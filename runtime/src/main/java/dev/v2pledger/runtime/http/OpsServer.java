package dev.v2pledger.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations endpoints of a process: {@code GET /metrics} (Prometheus text), {@code GET
 * /healthz} (200 while the process works, 503 with the reason once it does not), {@code GET
 * /readyz} (200 once ready, 503 with the reason before), and routes a component adds (the applier's
 * {@code POST /reconcile}). Built on the JDK's HTTP server, one small thread pool. A route that
 * fails (any exception or {@code Error} but a fatal {@link VirtualMachineError}) is answered 500.
 */
public final class OpsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);

  /** Tells why a process is not ready, or null when it is. */
  @FunctionalInterface
  public interface Check {
    @Nullable String problem();
  }

  /** Answers one request of an added route, from its body. */
  @FunctionalInterface
  public interface Route {
    Response handle(String body);
  }

  /** Answers one request of an added route, from its query parameters and body. */
  @FunctionalInterface
  public interface RequestRoute {
    Response handle(Request request);
  }

  /**
   * One request: its query ({@code a=1&b=2}, empty when none) and body.
   *
   * @param query the URI's raw (still percent-encoded) query part, or empty
   */
  public record Request(String query, String body) {
    /**
     * The decoded query parameters.
     *
     * @throws IllegalArgumentException when a name is given twice: which one the caller meant is
     *     not known (for {@code /skip}, which record to give up on)
     */
    public Map<String, String> params() {
      Map<String, String> out = new LinkedHashMap<>();
      if (query.isEmpty()) {
        return out;
      }
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue; // "a=1&&b=2"
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (out.putIfAbsent(name, value) != null) {
          throw new IllegalArgumentException("query parameter '" + name + "' given twice");
        }
      }
      return out;
    }

    private static String decode(String text) {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
  }

  /** A status, a body and its media type (plain text unless said otherwise). */
  public record Response(int status, String body, String contentType) {
    public static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    public static final String JSON = "application/json";

    public Response(int status, String body) {
      this(status, body, TEXT);
    }

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

  /** The largest request body a route is given (1 MiB); a longer one is answered 413. */
  static final int MAX_BODY = 1 << 20;

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, Map<String, RequestRoute>> routes = new ConcurrentHashMap<>();

  private OpsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one).
   *
   * @throws IllegalArgumentException for an empty host
   * @throws java.io.UncheckedIOException when the address cannot be bound
   * @param liveness why the process no longer works, or null while it does
   * @param readiness why the process is not ready yet, or null once it is
   */
  public static OpsServer start(
      String host, int port, PrometheusMeterRegistry registry, Check liveness, Check readiness) {
    if (host.isBlank()) { // InetAddress takes "" for the loopback address, which nobody means
      throw new IllegalArgumentException(
          "cannot listen on an empty host: give an address (127.0.0.1, 0.0.0.0 for every one)");
    }
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
    server.createContext("/", exchange -> serve(exchange, "/", Map.of())); // every other path: 404
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
    routeRequest(method, path, request -> route.handle(request.body()));
  }

  /**
   * Adds a route answering {@code method path} that reads the query too; several methods may share
   * a path, other methods on it get 405.
   */
  public void routeRequest(String method, String path, RequestRoute route) {
    Map<String, RequestRoute> byMethod =
        routes.computeIfAbsent(
            path,
            p -> {
              Map<String, RequestRoute> methods = new ConcurrentHashMap<>();
              server.createContext(p, exchange -> serve(exchange, p, methods));
              return methods;
            });
    byMethod.put(method.toUpperCase(Locale.ROOT), route);
  }

  private static void serve(HttpExchange exchange, String path, Map<String, RequestRoute> methods)
      throws IOException {
    try (exchange) {
      Response response;
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      RequestRoute route = methods.get(method);
      if (methods.isEmpty() || !exchange.getRequestURI().getPath().equals(path)) { // by prefix
        response = new Response(404, "no such endpoint\n");
      } else if (route == null) {
        TreeSet<String> allowed = new TreeSet<>(methods.keySet());
        exchange.getResponseHeaders().set("Allow", String.join(", ", allowed)); // RFC 9110 15.5.6
        response = new Response(405, "use " + String.join(" or ", allowed) + "\n");
      } else {
        // at most MAX_BODY bytes are read: a client sending gigabytes would take the process's heap
        byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
        try {
          if (bytes.length > MAX_BODY) {
            response = new Response(413, "the request body is over " + MAX_BODY + " bytes\n");
          } else {
            String body = new String(bytes, StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            response = route.handle(new Request(query == null ? "" : query, body));
          }
        } catch (Throwable e) { // the top of the request: any failure of a route is a 500
          if (fatal(e)) {
            throw e; // the JVM may not go on: no answer is tried, the connection closes
          }
          LOG.warn("{} {} failed", method, exchange.getRequestURI(), e);
          String why = e.getMessage() == null ? e.toString() : e.getMessage();
          response = new Response(500, "internal error: " + why + "\n");
        }
      }
      byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /**
   * A failure not answered with a 500: a {@link VirtualMachineError} (out of memory, an internal
   * error of the JVM), after which the process may not be able to go on, let alone answer. A {@link
   * StackOverflowError} is one too, but it is answered: the route's stack has unwound by the time
   * it is caught here, and the thread is fine. Everything else (an {@code AssertionError}, a {@code
   * LinkageError}, any exception) is the route's failure, answered 500.
   */
  private static boolean fatal(Throwable e) {
    return e instanceof VirtualMachineError && !(e instanceof StackOverflowError);
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
