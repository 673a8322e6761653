package dev.v2pledger.kafka.embedded;

import java.io.IOException;

/**
 * The main of a {@link ProcessCluster} broker: {@code kafka.Kafka}, and a thread that halts the
 * process when its standard input ends, which is when the JVM that started it is gone (however it
 * died), so no broker outlives its test.
 */
public final class ProcessBroker {
  private ProcessBroker() {}

  public static void main(String[] args) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // nothing is ever written; read until the parent closes the pipe
                }
              } catch (IOException e) {
                // the pipe broke: the parent is gone too
              }
              Runtime.getRuntime().halt(1);
            },
            "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    kafka.Kafka.main(args);
  }
}
