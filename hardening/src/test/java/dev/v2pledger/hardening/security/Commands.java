package dev.v2pledger.hardening.security;

import dev.v2pledger.applier.cli.SledApplierCommand;
import dev.v2pledger.projector.cli.ProjectorMain;
import dev.v2pledger.replay.cli.ReplayToolMain;
import dev.v2pledger.runtime.cli.Cli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The components' command lines, run in-process through {@link Cli} (as their {@code main} does) or
 * as processes from the built jars, with what they printed and how long they took.
 */
final class Commands {
  private Commands() {}

  /** One run: exit code, both streams, duration. */
  record Run(int exit, String out, String err, Duration took) {
    /** The last line of stderr (a process also logs there; the command's own line is last). */
    String lastErrLine() {
      List<String> lines = err.strip().lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  static Run projector(Map<String, String> env, String... args) {
    return inProcess(new ProjectorMain(env), env, args);
  }

  static Run applier(Map<String, String> env, String... args) {
    return inProcess(new SledApplierCommand(env), env, args);
  }

  static Run replay(String... args) {
    return inProcess(new ReplayToolMain(), Map.of(), args);
  }

  private static Run inProcess(Object command, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long start = System.nanoTime();
    int exit = Cli.run(command, args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(
        exit, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * {@code java -jar ../<module>/target/<module>.jar args} with {@code env} added to a clean
   * environment (no inherited {@code V2P_*}), killed after {@code deadline}.
   */
  static Run jar(String module, Map<String, String> env, Duration deadline, String... args)
      throws IOException, InterruptedException {
    Path jar = Path.of("..", module, "target", module + ".jar").toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build with -am (package runs first)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("V2P_"));
    builder.environment().putAll(env);
    Path out = Files.createTempFile("jar-out", ".txt");
    Path err = Files.createTempFile("jar-err", ".txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    long start = System.nanoTime();
    Process process = builder.start();
    boolean ended = process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    return new Run(
        ended ? process.exitValue() : -1,
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8),
        took);
  }
}
