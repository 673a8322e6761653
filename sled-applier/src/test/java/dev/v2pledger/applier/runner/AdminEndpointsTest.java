package dev.v2pledger.applier.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.runtime.http.OpsServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The endpoints of an applier not started yet (FailSafeIT answers them with one running). */
class AdminEndpointsTest {
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

  /** POSTs to {@code path} of {@code ops}: the status and the body's one line. */
  static String post(OpsServer ops, String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body().strip();
  }
}
