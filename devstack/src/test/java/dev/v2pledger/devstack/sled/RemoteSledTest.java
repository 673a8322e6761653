package dev.v2pledger.devstack.sled;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@code devstack run --sled-endpoints} says when a remote sled cannot be used. */
class RemoteSledTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void givenNothingListens_whenConnecting_thenTheMessageSaysItCannotConnect() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    URI endpoint = URI.create("http://127.0.0.1:" + closed);

    assertThatThrownBy(() -> RemoteSled.connect(endpoint, 0, HTTP, Duration.ofSeconds(5)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage(endpoint + ": GET /sim/info failed: cannot connect");
  }

  @Test
  void givenAHostThatDoesNotResolve_whenConnecting_thenTheMessageSaysSo() {
    URI endpoint = URI.create("http://no-such-sled.invalid:9465");

    assertThatThrownBy(() -> RemoteSled.connect(endpoint, 0, HTTP, Duration.ofSeconds(5)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage(endpoint + ": GET /sim/info failed: cannot resolve the host name");
  }

  @Test
  void givenAServerThatIsNotASimulatedSled_whenConnecting_thenTheMessageIsJustTheReason()
      throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.start();
    try {
      URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());

      assertThatThrownBy(() -> RemoteSled.connect(endpoint, 0, HTTP, Duration.ofSeconds(5)))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessage(
              endpoint + "/sim/info answered 404: is it a sled-applier run with --xde sim?");
    } finally {
      server.stop(0);
    }
  }
}
