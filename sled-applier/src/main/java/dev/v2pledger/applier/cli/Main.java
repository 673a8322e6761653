package dev.v2pledger.applier.cli;

import dev.v2pledger.ops.Cli;

/** {@code java -jar sled-applier.jar (xde ... | run ...)}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // The JDK's HTTP server writes headers and body in two segments; with Nagle's algorithm on,
    // the client's delayed ACK holds every POST /reconcile answer back ~40 ms.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    System.exit(Cli.run(new SledApplierCommand(System.getenv()), args));
  }
}
