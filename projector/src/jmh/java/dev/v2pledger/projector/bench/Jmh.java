package dev.v2pledger.projector.bench;

/**
 * JMH's runner under a short name: {@code -Dbench=Jmh -Dbench.args="FoldBenchmark -prof gc"} runs
 * the JMH benchmarks of this module (forks get the same classpath).
 */
public final class Jmh {
  private Jmh() {}

  public static void main(String[] args) throws Exception {
    org.openjdk.jmh.Main.main(args);
  }
}
