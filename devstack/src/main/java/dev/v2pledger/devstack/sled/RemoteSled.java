package dev.v2pledger.devstack.sled;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A sled in another process: a {@code sled-applier run --xde sim} reached over its admin endpoints
 * ({@code /sim/info}, {@code /sim/ports}, {@code /xde}, {@code /sim/mutations}, {@code /reconcile},
 * {@code /readyz}, {@code /metrics}; sled-applier's README).
 */
public final class RemoteSled implements Sled {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DRIFT = "v2p_applier_drift_repaired_total{";

  private final URI endpoint;
  private final HttpClient http;
  private final Duration timeout;
  private final SledSpec spec;
  private final List<Mutation> mutations = new ArrayList<>();

  private RemoteSled(URI endpoint, HttpClient http, Duration timeout, SledSpec spec) {
    this.endpoint = endpoint;
    this.http = http;
    this.timeout = timeout;
    this.spec = spec;
  }

  /**
   * Connects to the applier at each of {@code endpoints} (5 s to connect, 10 s for an answer), in
   * order, adding each to {@code sleds} (numbered from its size on); their specs, in that order.
   */
  public static List<SledSpec> connectAll(List<URI> endpoints, List<? super RemoteSled> sleds) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<SledSpec> specs = new ArrayList<>();
    for (URI endpoint : endpoints) {
      RemoteSled sled = connect(endpoint, sleds.size(), http, Duration.ofSeconds(10));
      sleds.add(sled);
      specs.add(sled.spec());
    }
    return specs;
  }

  /**
   * Asks the applier at {@code endpoint} who it is.
   *
   * @throws UncheckedIOException when it does not answer, or answers without its simulator
   */
  public static RemoteSled connect(URI endpoint, int index, HttpClient http, Duration timeout) {
    HttpResponse<String> info = send(http, endpoint, timeout, "GET", "/sim/info");
    if (info.statusCode() != 200) {
      throw failure(
          endpoint
              + "/sim/info answered "
              + info.statusCode()
              + ": is it a sled-applier run with --xde sim?",
          null);
    }
    try {
      JsonNode node = JSON.readTree(info.body());
      SledSpec spec =
          new SledSpec(
              index,
              SledId.parse(node.path("sled_id").asText()),
              Ipv6Addr.parse(node.path("underlay_ip").asText()));
      return new RemoteSled(endpoint, http, timeout, spec);
    } catch (IOException | IllegalArgumentException e) {
      throw failure(endpoint + "/sim/info: unexpected answer: " + e.getMessage(), e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public SledSpec spec() {
    return spec;
  }

  @Override
  public void createPort(Vni vni, IpAddr ip, MacAddr mac) {
    expect(
        send("POST", "/sim/ports?vni=" + vni + "&ip=" + encode(ip.toString()) + "&mac=" + mac),
        200);
  }

  @Override
  public void destroyPort(Vni vni, IpAddr ip) {
    expect(send("DELETE", "/sim/ports?vni=" + vni + "&ip=" + encode(ip.toString())), 200);
  }

  @Override
  public void requestReconcile() {
    expect(send("POST", "/reconcile"), 202);
  }

  @Override
  public Map<Vip, XdeMapping> table() {
    HttpResponse<String> answer = expect(send("GET", "/xde"), 200);
    Map<Vip, XdeMapping> table = new TreeMap<>();
    try {
      for (JsonNode node : JSON.readTree(answer.body())) {
        Vip vip =
            new Vip(new Vni(node.path("vni").asInt()), IpAddr.parse(node.path("ip").asText()));
        table.put(vip, new XdeMapping(vip, mac(node), underlay(node)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(endpoint + "/xde: " + e.getMessage(), e);
    }
    return table;
  }

  /** Reads the log on from what was read before (the device's log only grows). */
  @Override
  public synchronized List<Mutation> mutations() {
    while (true) {
      long since = mutations.isEmpty() ? 0 : mutations.get(mutations.size() - 1).sequence();
      HttpResponse<String> answer = expect(send("GET", "/sim/mutations?since=" + since), 200);
      String body = answer.body();
      if (body.isEmpty()) {
        return List.copyOf(mutations);
      }
      try {
        for (String line : body.split("\n")) {
          if (!line.isBlank()) {
            mutations.add(mutation(JSON.readTree(line)));
          }
        }
      } catch (IOException | IllegalArgumentException e) {
        throw failure(endpoint + "/sim/mutations: " + e.getMessage(), e);
      }
    }
  }

  private static Mutation mutation(JsonNode node) {
    Vip vip = new Vip(new Vni(node.path("vni").asInt()), IpAddr.parse(node.path("ip").asText()));
    return new Mutation(
        node.path("seq").asLong(),
        Instant.parse(node.path("at").asText()),
        Mutation.Op.valueOf(node.path("op").asText()),
        vip,
        entry(vip, node.get("before")),
        entry(vip, node.get("after")));
  }

  private static @Nullable XdeMapping entry(Vip vip, @Nullable JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return new XdeMapping(vip, mac(node), underlay(node));
  }

  private static MacAddr mac(JsonNode node) {
    return MacAddr.parse(node.path("mac").asText());
  }

  private static Ipv6Addr underlay(JsonNode node) {
    return Ipv6Addr.parse(node.path("underlay_ip").asText());
  }

  @Override
  public double driftRepairs() {
    HttpResponse<String> answer = expect(send("GET", "/metrics"), 200);
    double sum = 0;
    for (String line : answer.body().split("\n")) {
      if (line.startsWith(DRIFT)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Override
  public @Nullable String readinessProblem() {
    try {
      HttpResponse<String> answer = send("GET", "/readyz");
      return answer.statusCode() == 200 ? null : answer.body().strip();
    } catch (UncheckedIOException e) {
      return e.getMessage();
    }
  }

  /** Nothing to release: the remote applier keeps running. */
  @Override
  public void close() {}

  private HttpResponse<String> expect(HttpResponse<String> answer, int status) {
    if (answer.statusCode() != status) {
      throw failure(
          answer.request().method()
              + " "
              + answer.uri()
              + " answered "
              + answer.statusCode()
              + ": "
              + answer.body().strip(),
          null);
    }
    return answer;
  }

  private HttpResponse<String> send(String method, String path) {
    return send(http, endpoint, timeout, method, path);
  }

  private static HttpResponse<String> send(
      HttpClient http, URI endpoint, Duration timeout, String method, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve(path))
            .timeout(timeout)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(
          endpoint + ": " + method + " " + path + " failed: " + reason(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(endpoint + ": " + method + " " + path + " interrupted", e);
    }
  }

  /**
   * A failure whose message is {@code message} alone: {@code new UncheckedIOException(new
   * IOException(message))} would read "java.io.IOException: " + message.
   */
  private static UncheckedIOException failure(String message, @Nullable Throwable cause) {
    return new UncheckedIOException(message, new IOException(message, cause));
  }

  /**
   * Why a request failed, in a few words. The HTTP client's failures to connect carry no message (a
   * {@code ConnectException} without one, over an {@code UnresolvedAddressException} when the name
   * does not resolve), which read "failed: null".
   */
  static String reason(IOException error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException) {
        return "cannot resolve the host name";
      }
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return error instanceof ConnectException ? "cannot connect" : error.getClass().getSimpleName();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
