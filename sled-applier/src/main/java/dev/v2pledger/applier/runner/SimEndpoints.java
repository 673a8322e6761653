package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.xde.XdeJson;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.runtime.http.OpsServer;
import dev.v2pledger.runtime.http.OpsServer.Request;
import dev.v2pledger.runtime.http.OpsServer.Response;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Endpoints of an applier running the simulated device ({@code --xde sim}) only, for devstack
 * driving sleds in other processes: it plays the sled agent (ports come and go, with XDE's side
 * effects) and reads the device back (table and mutation log, for the verdict and exposure).
 *
 * <ul>
 *   <li>{@code GET /xde}: the table, the JSON of {@code xde dump --json};
 *   <li>{@code GET /sim/info}: {@code {"sled_id":..,"underlay_ip":..,"mutations":N}};
 *   <li>{@code POST /sim/ports?vni=N&ip=IP&mac=MAC}: XDE creates a port (installs "VIP -> this
 *       sled");
 *   <li>{@code DELETE /sim/ports?vni=N&ip=IP}: XDE destroys a port (removes the (VNI, VIP) entry);
 *   <li>{@code GET /sim/mutations?since=SEQ[&limit=N]}: the mutation log after sequence {@code SEQ}
 *       (0: from the start), oldest first, one JSON object per line, at most {@code limit} (default
 *       10000) lines.
 * </ul>
 *
 * Port calls do not trigger a pass: the caller posts {@code /reconcile} afterwards, as a sled agent
 * does. A bad or missing parameter answers 400 with one line.
 */
public final class SimEndpoints {
  static final int DEFAULT_LIMIT = 10_000;

  private SimEndpoints() {}

  /** Adds the simulator's routes to {@code server}. */
  public static void register(OpsServer server, SimulatedXde device, SledId sledId) {
    server.route(
        "GET",
        "/xde",
        body ->
            new Response(
                200, XdeJson.dump(new ArrayList<>(device.table().values())), Response.JSON));
    server.route(
        "GET",
        "/sim/info",
        body ->
            new Response(
                200,
                "{\"sled_id\":\""
                    + sledId
                    + "\",\"underlay_ip\":\""
                    + device.sledUnderlay()
                    + "\",\"mutations\":"
                    + device.mutationCount()
                    + "}",
                Response.JSON));
    server.routeRequest(
        "POST",
        "/sim/ports",
        request ->
            answer(
                request,
                params -> {
                  device.createPort(
                      Vni.parse(required(params, "vni")),
                      IpAddr.parse(required(params, "ip")),
                      MacAddr.parse(required(params, "mac")));
                  return new Response(200, "port created\n");
                }));
    server.routeRequest(
        "DELETE",
        "/sim/ports",
        request ->
            answer(
                request,
                params -> {
                  device.destroyPort(
                      Vni.parse(required(params, "vni")), IpAddr.parse(required(params, "ip")));
                  return new Response(200, "port destroyed\n");
                }));
    server.routeRequest(
        "GET",
        "/sim/mutations",
        request ->
            answer(
                request,
                params -> {
                  long since = number(params, "since", 0);
                  long limit = number(params, "limit", DEFAULT_LIMIT);
                  return new Response(200, mutations(device, since, limit), "application/x-ndjson");
                }));
  }

  /** Applies {@code handler} to the request's parameters; a bad value is a 400. */
  private static Response answer(Request request, Function<Map<String, String>, Response> handler) {
    try {
      return handler.apply(request.params());
    } catch (IllegalArgumentException e) {
      return new Response(400, e.getMessage() + "\n");
    }
  }

  private static String required(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing query parameter '" + name + "'");
    }
    return value;
  }

  private static long number(Map<String, String> params, String name, long absent) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      return absent;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "query parameter '" + name + "' is not a non-negative number: " + value);
    }
  }

  static String mutations(SimulatedXde device, long since, long limit) {
    List<Mutation> tail = device.mutationsSince((int) Math.min(Integer.MAX_VALUE, since));
    StringBuilder out = new StringBuilder();
    int count = 0;
    for (Mutation m : tail) {
      if (m.sequence() <= since) {
        continue;
      }
      if (count++ >= limit) {
        break;
      }
      out.append("{\"seq\":")
          .append(m.sequence())
          .append(",\"at\":\"")
          .append(m.at())
          .append("\",\"op\":\"")
          .append(m.op())
          .append("\",\"vni\":")
          .append(m.vip().vni().value())
          .append(",\"ip\":\"")
          .append(m.vip().ip())
          .append("\",\"before\":")
          .append(phys(m.before()))
          .append(",\"after\":")
          .append(phys(m.after()))
          .append("}\n");
    }
    return out.toString();
  }

  private static String phys(@Nullable XdeMapping entry) {
    if (entry == null) {
      return "null";
    }
    return "{\"mac\":\"" + entry.mac() + "\",\"underlay_ip\":\"" + entry.underlayIp() + "\"}";
  }
}
