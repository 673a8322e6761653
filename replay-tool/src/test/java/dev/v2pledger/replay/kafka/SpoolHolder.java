package dev.v2pledger.replay.kafka;

import java.nio.file.Path;

/**
 * A process that holds an export's spool in the directory given, as an export does while it reads:
 * prints the spool's path, then waits for its standard input to end (or a signal).
 */
public final class SpoolHolder {
  private SpoolHolder() {}

  public static void main(String[] args) throws Exception {
    try (ExportSpool spool = ExportSpool.create(Path.of(args[0]))) {
      System.out.println(spool.dir());
      System.out.flush();
      while (System.in.read() >= 0) {
        // holds until stdin ends
      }
    }
  }
}
