package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.metrics.ProjectorMetrics;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A projector runner: consumes {@code v2p.events} in a consumer group and, in one Kafka transaction
 * per time box, writes the mapping records, the changed instance states and the consumed offsets.
 * Embeddable: start several in one JVM, each with its own {@link ProjectorConfig} (and instance
 * id), and close them.
 *
 * <pre>{@code
 * try (Projector projector = Projector.start(ProjectorConfig.builder(kafka, "p1").build())) {
 *   ... projector.status().readinessProblem() == null once every assigned partition is restored
 * }
 * }</pre>
 */
public final class Projector implements AutoCloseable {
  /** How often the output topics are looked at for a hanging transaction (one watch a process). */
  private static final Duration HANGING_CHECK = Duration.ofSeconds(10);

  private final ProjectorConfig config;
  private final ProjectorLoop loop;
  private final Thread thread;
  private volatile @Nullable HangingWatch watch;

  private Projector(ProjectorConfig config, ClientFactory clients) {
    this.config = config;
    this.loop = new ProjectorLoop(config, clients);
    this.thread =
        new Thread(
            () -> {
              try {
                loop.run();
              } finally {
                stopWatch(); // the runner ended (stopped, killed or failed): so does its watch
              }
            },
            "v2p-projector-" + config.instanceId());
  }

  /** Starts a runner on its own thread. */
  public static Projector start(ProjectorConfig config) {
    return start(config, ClientFactory.KAFKA);
  }

  /** Starts a runner whose Kafka clients {@code clients} makes (tests: faults on demand). */
  static Projector start(ProjectorConfig config, ClientFactory clients) {
    Projector projector = new Projector(config, clients);
    // the watch first: the runner's thread stops it when it ends, however early
    projector.watch =
        HangingWatch.start(
            config,
            projector.loop.metrics(),
            KafkaClients.transactionTimeout(config).plus(ProjectorLoop.HANGING_GRACE),
            HANGING_CHECK);
    projector.thread.start();
    return projector;
  }

  public String instanceId() {
    return config.instanceId();
  }

  public ProjectorStatus status() {
    return loop.status();
  }

  /**
   * Why {@code /readyz} should say no, or null: ready once it holds every partition its group
   * assigns to it ({@link GroupShare}) and has restored them.
   */
  public @Nullable String readinessProblem() {
    return loop.status().readinessProblem();
  }

  /** Why {@code /healthz} should say no, or null while the runner works. */
  public @Nullable String livenessProblem() {
    return loop.status().livenessProblem();
  }

  /**
   * The error that stopped the runner, once {@link ProjectorStatus.Phase#FAILED} or {@link
   * ProjectorStatus.Phase#KILLED}.
   */
  public @Nullable Throwable failure() {
    return loop.failure();
  }

  public ProjectorMetrics metrics() {
    return loop.metrics();
  }

  /** Waits until the runner's thread ends; returns whether it did within {@code timeout}. */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  /**
   * Stops cleanly: commits the open transaction, leaves the group (its partitions are reassigned at
   * once) and closes the clients. Waits for it, a bounded time.
   */
  @Override
  public void close() {
    stopWatch();
    loop.requestStop();
    if (Thread.currentThread() != thread) {
      joinQuietly(config.kafkaTimeout().multipliedBy(3));
    }
  }

  /** Lets go of the watch, once (the watch counts the runners that use it). */
  private synchronized void stopWatch() {
    HangingWatch running = watch;
    watch = null;
    if (running != null) {
      running.close();
    }
  }

  private void joinQuietly(Duration timeout) {
    try {
      thread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
