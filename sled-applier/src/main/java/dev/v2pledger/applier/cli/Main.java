package dev.v2pledger.applier.cli;

import dev.v2pledger.runtime.cli.Cli;

/** {@code java -jar sled-applier.jar (xde ... | run ...)}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.run(new SledApplierCommand(System.getenv()), args));
  }
}
