package dev.v2pledger.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OpsServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesMetricsHealthReadinessAndAddedRoutes() throws Exception {
    PrometheusMeterRegistry registry = Metrics.newRegistry("test", "one");
    registry.counter("v2p_things_total").increment(3);
    AtomicReference<String> notReady = new AtomicReference<>("restoring partition 2");
    try (OpsServer ops = OpsServer.start("127.0.0.1", 0, registry, () -> null, notReady::get)) {
      ops.route("POST", "/reconcile", body -> OpsServer.Response.ok("scheduled\n"));
      String base = "http://127.0.0.1:" + ops.port();

      assertThat(get(base + "/metrics").body())
          .contains("v2p_things_total{component=\"test\",instance=\"one\"} 3.0")
          .contains("jvm_memory_used_bytes");
      assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> before = get(base + "/readyz");
      notReady.set(null);
      HttpResponse<String> after = get(base + "/readyz");
      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/reconcile"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(before.statusCode()).isEqualTo(503);
      assertThat(before.body()).isEqualTo("restoring partition 2\n");
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(posted.body()).isEqualTo("scheduled\n");
      assertThat(get(base + "/reconcile").statusCode()).isEqualTo(405);
    }
  }

  /** The JDK's server matches a context by prefix: a longer path is not the endpoint. */
  @Test
  void onlyTheExactPathIsAnEndpoint() throws Exception {
    try (OpsServer ops = aLiveAndReadyServer("three")) {
      String base = "http://127.0.0.1:" + ops.port();

      assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
      for (String path : new String[] {"/healthzzz", "/readyz/foo", "/metricsx", "/nothing"}) {
        HttpResponse<String> response = get(base + path);
        assertThat(response.statusCode()).as(path).isEqualTo(404);
        assertThat(response.body()).as(path).isEqualTo("no such endpoint\n");
      }
    }
  }

  @Test
  void anEmptyHostIsRefused_notTakenForTheLoopbackAddress() {
    PrometheusMeterRegistry registry = Metrics.newRegistry("test", "one");
    assertThatThrownBy(() -> OpsServer.start(" ", 0, registry, () -> null, () -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot listen on an empty host");
  }

  @Test
  void routesWithQueriesShareAPathAcrossMethods() throws Exception {
    try (OpsServer ops = aLiveAndReadyServer("two")) {
      ops.routeRequest(
          "POST",
          "/ports",
          request -> new OpsServer.Response(201, "created " + request.params() + "\n"));
      ops.routeRequest(
          "DELETE",
          "/ports",
          request ->
              new OpsServer.Response(
                  200, "{\"ip\":\"" + request.params().get("ip") + "\"}", OpsServer.Response.JSON));
      String base = "http://127.0.0.1:" + ops.port();

      HttpResponse<String> created =
          send("POST", base + "/ports?vni=7777&ip=fd77%3A%3A5&mac=a8:40:25:00:00:01");
      HttpResponse<String> deleted = send("DELETE", base + "/ports?ip=172.30.0.5");
      HttpResponse<String> wrong = get(base + "/ports");

      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.body())
          .isEqualTo("created {vni=7777, ip=fd77::5, mac=a8:40:25:00:00:01}\n");
      assertThat(deleted.body()).isEqualTo("{\"ip\":\"172.30.0.5\"}");
      assertThat(deleted.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(wrong.statusCode()).isEqualTo(405);
      assertThat(wrong.body()).isEqualTo("use DELETE or POST\n");
    }
  }

  /** RFC 9110 15.5.6: a 405 names the methods the path takes in an Allow header. */
  @Test
  void anotherMethodGets405WithTheAllowedMethods() throws Exception {
    try (OpsServer ops = aLiveAndReadyServer("four")) {
      ops.route("POST", "/ports", body -> OpsServer.Response.ok("created\n"));
      ops.route("DELETE", "/ports", body -> OpsServer.Response.ok("destroyed\n"));
      String base = "http://127.0.0.1:" + ops.port();

      HttpResponse<String> wrong = get(base + "/ports");
      HttpResponse<String> probe = send("POST", base + "/healthz");

      assertThat(wrong.statusCode()).isEqualTo(405);
      assertThat(wrong.headers().firstValue("Allow")).hasValue("DELETE, POST");
      assertThat(probe.statusCode()).isEqualTo(405);
      assertThat(probe.headers().firstValue("Allow")).hasValue("GET");
    }
  }

  /**
   * A route is given at most MAX_BODY bytes: a longer body is a 413, not read whole into the heap
   * (every route would have read gigabytes a client sent to /reconcile before answering).
   */
  @Test
  void aBodyOverTheLimitIs413_andTheServerKeepsServing() throws Exception {
    try (OpsServer ops = aLiveAndReadyServer("five")) {
      ops.route("POST", "/reconcile", body -> OpsServer.Response.ok(body.length() + " bytes\n"));
      String base = "http://127.0.0.1:" + ops.port();

      HttpResponse<String> atLimit = post(base + "/reconcile", OpsServer.MAX_BODY);
      HttpResponse<String> over = post(base + "/reconcile", OpsServer.MAX_BODY + 1);

      assertThat(atLimit.statusCode()).isEqualTo(200);
      assertThat(atLimit.body()).isEqualTo(OpsServer.MAX_BODY + " bytes\n");
      assertThat(over.statusCode()).isEqualTo(413);
      assertThat(over.body())
          .isEqualTo("the request body is over " + OpsServer.MAX_BODY + " bytes\n");
      assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
    }
  }

  /**
   * Any failure of a route is a 500 naming it, not a closed connection: an {@code Error} too (an
   * assertion, a stack overflow; the stack has unwound), except a fatal VirtualMachineError.
   */
  @Test
  void aRouteThatThrowsAnError_is500_andTheServerKeepsServing() throws Exception {
    try (OpsServer ops = aLiveAndReadyServer("six")) {
      ops.route(
          "GET",
          "/assert",
          body -> {
            throw new AssertionError("the table is not sorted");
          });
      ops.route("GET", "/deep", body -> deep(0));
      ops.route(
          "GET",
          "/runtime",
          body -> {
            throw new IllegalStateException("not started");
          });
      String base = "http://127.0.0.1:" + ops.port();

      HttpResponse<String> assertion = get(base + "/assert");
      HttpResponse<String> overflow = get(base + "/deep");
      HttpResponse<String> runtime = get(base + "/runtime");

      assertThat(assertion.statusCode()).isEqualTo(500);
      assertThat(assertion.body()).isEqualTo("internal error: the table is not sorted\n");
      assertThat(overflow.statusCode()).isEqualTo(500);
      assertThat(overflow.body()).isEqualTo("internal error: java.lang.StackOverflowError\n");
      assertThat(runtime.statusCode()).isEqualTo(500);
      assertThat(runtime.body()).isEqualTo("internal error: not started\n");
      assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
    }
  }

  private static OpsServer.Response deep(int depth) {
    return depth < 0 ? OpsServer.Response.ok("") : deep(depth + 1);
  }

  private HttpResponse<String> post(String url, int bodyBytes) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[bodyBytes]))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A server on a free local port, live and ready, its metrics those of instance {@code name}. */
  private static OpsServer aLiveAndReadyServer(String name) {
    return OpsServer.start(
        "127.0.0.1", 0, Metrics.newRegistry("test", name), () -> null, () -> null);
  }
}
