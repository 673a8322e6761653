package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.runtime.http.Metrics;
import dev.v2pledger.runtime.http.OpsServer;
import dev.v2pledger.schema.domain.Vip;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator's endpoints, which devstack uses to drive a sled in another process. */
class SimEndpointsTest {
  static final Vip VIP = vip("172.30.0.5");

  private final HttpClient http = HttpClient.newHttpClient();
  private final MutableClock clock = MutableClock.at("2026-11-23T03:10:00.000000123Z");
  private final SimulatedXde device = new SimulatedXde(T.underlay(), clock);
  private OpsServer server;
  private String base;

  @BeforeEach
  void start() {
    server =
        OpsServer.start("127.0.0.1", 0, Metrics.newRegistry("test", "sim"), () -> null, () -> null);
    SimEndpoints.register(server, device, T.id());
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void portsComeAndGoWithXdeSideEffects_andTheTableReadsBackAsXdeDumpJson() throws Exception {
    device.set(entry(vip("172.30.0.6"), S));

    HttpResponse<String> created =
        send("POST", "/sim/ports?vni=7777&ip=172.30.0.5&mac=a8:40:25:1e:00:05");
    String table = send("GET", "/xde").body();
    HttpResponse<String> destroyed = send("DELETE", "/sim/ports?vni=7777&ip=172.30.0.6");

    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(table)
        .isEqualTo(
            "[\n"
                + "  {\"vni\":7777,\"ip\":\"172.30.0.5\",\"mac\":\"a8:40:25:1e:00:05\",\"underlay_ip\":\""
                + T.underlay()
                + "\"},\n"
                + "  {\"vni\":7777,\"ip\":\"172.30.0.6\",\"mac\":\"a8:40:25:1e:00:06\",\"underlay_ip\":\""
                + S.underlay()
                + "\"}\n]");
    assertThat(destroyed.statusCode()).isEqualTo(200);
    assertThat(device.get(vip("172.30.0.6"))).isNull();
    assertThat(device.get(VIP)).isNotNull();
  }

  @Test
  void infoNamesTheSledAndTheMutationLogReadsOnFromASequence() throws Exception {
    device.createPort(VIP.vni(), VIP.ip(), entry(VIP, S).mac());
    device.destroyPort(VIP.vni(), VIP.ip());
    device.set(entry(VIP, S));

    assertThat(send("GET", "/sim/info").body())
        .isEqualTo(
            "{\"sled_id\":\""
                + T.id()
                + "\",\"underlay_ip\":\""
                + T.underlay()
                + "\",\"mutations\":3}");
    String all = send("GET", "/sim/mutations?since=0").body();
    String rest = send("GET", "/sim/mutations?since=1&limit=1").body();

    assertThat(all.lines())
        .hasSize(3)
        .first()
        .isEqualTo(
            "{\"seq\":1,\"at\":\""
                + clock.instant()
                + "\",\"op\":\"PORT_CREATE\",\"vni\":7777,\"ip\":\"172.30.0.5\",\"before\":null,"
                + "\"after\":{\"mac\":\"a8:40:25:1e:00:05\",\"underlay_ip\":\""
                + T.underlay()
                + "\"}}");
    assertThat(rest.lines())
        .containsExactly(
            "{\"seq\":2,\"at\":\""
                + clock.instant()
                + "\",\"op\":\"PORT_DESTROY\",\"vni\":7777,\"ip\":\"172.30.0.5\",\"before\":"
                + "{\"mac\":\"a8:40:25:1e:00:05\",\"underlay_ip\":\""
                + T.underlay()
                + "\"},\"after\":null}");
  }

  @Test
  void badOrMissingParametersAreOneLine400s() throws Exception {
    HttpResponse<String> missing = send("POST", "/sim/ports?vni=7777&ip=172.30.0.5");
    HttpResponse<String> bad = send("DELETE", "/sim/ports?vni=abc&ip=172.30.0.5");
    HttpResponse<String> since = send("GET", "/sim/mutations?since=-1");
    HttpResponse<String> twice = send("DELETE", "/sim/ports?vni=7777&ip=172.30.0.5&ip=172.30.0.6");
    HttpResponse<String> gaps = send("POST", "/sim/ports?vni=7777&&ip=172.30.0.5&&&mac=");

    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).isEqualTo("missing query parameter 'mac'\n");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("abc").hasLineCount(1);
    assertThat(since.statusCode()).isEqualTo(400);
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(twice.body()).isEqualTo("query parameter 'ip' given twice\n");
    assertThat(gaps.body())
        .as("empty pairs are no names")
        .isEqualTo("missing query parameter 'mac'\n");
    assertThat(device.mutationCount()).isZero();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
