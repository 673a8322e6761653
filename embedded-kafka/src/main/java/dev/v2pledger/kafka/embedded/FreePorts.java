package dev.v2pledger.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Picks distinct free TCP ports on one address by letting the OS choose them. */
final class FreePorts {

  private FreePorts() {}

  /**
   * One free port per name. All sockets are held open together, so the ports are distinct; they are
   * closed before returning, so another process could in principle take one before the broker binds
   * it.
   */
  static Map<String, Integer> pick(String host, Collection<String> names) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      Map<String, Integer> ports = new LinkedHashMap<>();
      InetAddress address = InetAddress.getByName(host);
      for (String name : names) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(address, 0));
        ports.put(name, socket.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pick free ports on " + host, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // nothing was sent through it; the port is free again either way
        }
      }
    }
  }
}
