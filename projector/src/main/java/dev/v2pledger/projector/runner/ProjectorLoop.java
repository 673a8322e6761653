package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.metrics.ProjectorMetrics;
import dev.v2pledger.projector.runner.ProjectorStatus.Phase;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.registry.LogSchemas;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's thread: opens a {@link Session}, steps it until asked to stop, and decides what an
 * error means, once, with {@link KafkaErrors}: fenced (a newer owner exists) closes the session and
 * rejoins with new clients; retriable (and unknown) aborts the open transaction, undoes its state
 * changes, rewinds and tries again with a growing pause, a bounded number of times; fatal stops the
 * runner with one line saying why.
 */
final class ProjectorLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectorLoop.class);

  /** Beyond the transaction timeout, before an open transaction is checked for a hanging one. */
  static final Duration HANGING_GRACE = Duration.ofSeconds(12);

  private static final Duration QUICK_CLOSE = Duration.ofSeconds(5);

  private final ProjectorConfig config;
  private final ProjectorMetrics metrics;
  private final RunnerParts parts;
  private final Interner interner = new Interner();
  private final LogSchemas schemas;
  private final TopologyGuard topology;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final ClientFactory clientFactory;
  private volatile boolean stopRequested;
  private volatile @Nullable Session session;
  private volatile ProjectorStatus status = ProjectorStatus.of(Phase.STARTING);
  private volatile @Nullable Throwable failure;
  private final FailedAttempts failures;
  private final Fencings fencings;
  private int unreleasedWaits;

  ProjectorLoop(ProjectorConfig config, ClientFactory clients) {
    this.config = config;
    this.clientFactory = clients;
    this.metrics = new ProjectorMetrics(config.registry(), config.instanceId());
    this.failures = new FailedAttempts(config);
    this.fencings =
        new Fencings(config.maxFencings(), Fencings.quietFor(config.kafka()), config.nanoTime());
    this.schemas =
        LogSchemas.openRetryingWhenGone(
            config.kafka(), config.topics().schemas(), LogSchemas.DEFAULT_REFRESH);
    EventProcessor processor =
        new EventProcessor(config.topics(), config.instanceId(), metrics, interner, schemas);
    this.parts = new RunnerParts(config, metrics, processor, new OwnSchemas(config, schemas));
    this.topology = new TopologyGuard(config, processor);
  }

  @Override
  public void run() {
    try (schemas) {
      runUntilStopped();
      publish(Phase.STOPPED, null);
      LOG.info("{}: stopped", config.instanceId());
    } catch (Error e) {
      crashed(e);
    } catch (Throwable t) { // the top of the thread
      fail(t);
    }
  }

  private void runUntilStopped() {
    while (!stopRequested) {
      try {
        Session current = session;
        if (current == null) {
          current = openSession();
        }
        long before = current.commits();
        try {
          current.step();
        } finally {
          long commits = current.commits() - before; // also a step's that failed after them
          failures.committed(commits);
          if (commits > 0) {
            fencings.committed(); // only a commit proves we are not fenced in a loop
          }
        }
        if (failures.any() && current.settled()) {
          failures.settled();
        }
        if (current.assignedOnce()) {
          unreleasedWaits = 0; // the group took us: a later refusal is a new story
        }
        publish(null, null);
      } catch (WakeupException e) {
        // close() woke us up: the loop condition ends it
      } catch (RuntimeException e) {
        handle(e);
      }
    }
    Session current = session;
    if (current != null) {
      try {
        current.finish();
      } catch (RuntimeException e) {
        LOG.warn(
            "{}: the last commit failed, aborting it: {}",
            config.instanceId(),
            KafkaErrors.rootMessage(e));
        current.abortQuietly();
      }
      current.close(config.kafkaTimeout(), true);
      session = null;
    }
  }

  private Session openSession() {
    publish(Phase.JOINING, null);
    KafkaClients clients = KafkaClients.open(config, clientFactory, topology::checkTopics);
    parts.ownSchemas().atSessionStart(); // before the restore: finds v2p.schemas (DESIGN)
    // a former owner's open transaction ends within its timeout (or when it is fenced)
    Duration transactionTimeout = KafkaClients.transactionTimeout(config);
    Duration restoreBound = config.kafkaTimeout().plus(transactionTimeout.multipliedBy(2));
    StateRestorer restorer =
        new StateRestorer(
            config.topics().instanceState(),
            restoreBound,
            config.nanoTime(),
            this::checkStopping,
            interner,
            schemas,
            // the coordinator aborts a timed-out transaction within its sweep interval (10 s)
            transactionTimeout.plus(HANGING_GRACE),
            String.valueOf(config.kafka().get("bootstrap.servers")),
            metrics::hangingAborted,
            FoldedFrom.of(config, clientFactory, clients.consumer));
    Session opened =
        new Session(
            parts,
            clients,
            partitions -> {
              topology.refuseGrowth(partitions);
              StateRestorer.Restored restored =
                  restorer.restore(clients.restoreConsumer, clients.admin, partitions);
              topology.refuseMisplaced(restored);
              return restored;
            },
            () -> publish(null, null));
    session = opened;
    if (stopRequested) {
      opened.wakeup(); // a close that came while we opened must not be missed
    }
    opened.subscribe();
    LOG.info(
        "{}: joined group {} as {} (transactional id {})",
        config.instanceId(),
        config.groupId(),
        config.staticMembership() ? "static member " + config.instanceId() : "dynamic member",
        config.transactionalId());
    return opened;
  }

  private void handle(RuntimeException error) {
    if (KafkaErrors.cause(error, UnreleasedInstanceIdException.class) != null) {
      unreleased(error);
      return;
    }
    KafkaErrors.Kind kind =
        error instanceof ProjectorFatalException
            ? KafkaErrors.Kind.FATAL
            : KafkaErrors.classify(error);
    switch (kind) {
      case FATAL ->
          throw error instanceof ProjectorFatalException fatal
              ? fatal
              : new ProjectorFatalException(
                  (KafkaErrors.configError(error) != null ? "Kafka client settings: " : "")
                      + KafkaErrors.rootMessage(error),
                  error);
      case FENCED -> fenced(error);
      case INTERRUPTED -> {
        if (!stopRequested) {
          throw new ProjectorFatalException("interrupted", error);
        }
      }
      default -> retry(error);
    }
  }

  /**
   * The group refused our static member: a previous member with our instance id (a crashed
   * predecessor) is still in it, until its session times out (the group's {@code
   * consumer.session.timeout.ms}) or it leaves. The consumer is unusable after that answer, so new
   * clients join again after a growing pause. Not a failed attempt (the broker bounds the wait);
   * said once per run of refusals.
   */
  private void unreleased(RuntimeException error) {
    unreleasedWaits++;
    metrics.rebalance("unreleased");
    if (unreleasedWaits == 1) {
      LOG.warn(
          "{}: the group still holds instance id {} for a previous member (a crashed predecessor,"
              + " until its group session times out): joining again with new clients until it is"
              + " released ({})",
          config.instanceId(),
          config.instanceId(),
          KafkaErrors.rootMessage(error));
    }
    closeSession();
    pause(failures.backoff(Math.min(unreleasedWaits, 6)));
  }

  private void fenced(RuntimeException error) {
    metrics.fenced();
    int inARow = fencings.fenced();
    if (fencings.exhausted()) {
      throw new ProjectorFatalException(
          "fenced "
              + inARow
              + " times without a commit in between ("
              + KafkaErrors.rootMessage(error)
              + "): does another projector run with instance id "
              + config.instanceId()
              + "?",
          error);
    }
    LOG.warn(
        "{}: fenced ({}); rejoining with new clients, state rebuilt from the changelog",
        config.instanceId(),
        KafkaErrors.rootMessage(error));
    closeSession();
  }

  /**
   * A failed attempt ({@link FailedAttempts}): abort, undo, rewind, and try again after a pause.
   */
  private void retry(RuntimeException error) {
    Session current = session;
    int attempt =
        current == null
            ? failures.failed(Map.of(), Set.of())
            : failures.failed(current.committedPositions(), current.readPastCommitted());
    metrics.retried();
    if (failures.exhausted()) {
      throw new ProjectorFatalException(
          "gave up after " + attempt + " failed attempts: " + FailedAttempts.why(error), error);
    }
    LOG.warn(
        "{}: attempt failed ({} of {} retries; Kafka at {}), undone and retried: {}",
        config.instanceId(),
        attempt,
        config.maxRetries(),
        config.kafka().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG),
        FailedAttempts.why(error),
        LOG.isDebugEnabled() ? error : null);
    if (current != null) {
      boolean clean;
      try {
        clean = current.abortAndRewind();
      } catch (RuntimeException e) {
        clean = false;
      }
      if (!clean) {
        closeSession();
      }
    }
    pause(failures.backoff(attempt));
  }

  /**
   * Drops the session for new clients, leaving the group first: the group places our partitions at
   * once, and our new clients join as a new member (a static member that merely stayed would keep
   * its old assignment, epoch and all, for clients that never saw it).
   */
  private void closeSession() {
    endSession(Phase.JOINING, null);
  }

  /** Drops the session (aborting what it had open, closing its clients) and publishes the phase. */
  private void endSession(Phase phase, @Nullable String problem) {
    Session current = session;
    session = null;
    if (current != null) {
      current.abortQuietly();
      current.close(QUICK_CLOSE, true);
    }
    publish(phase, problem);
  }

  private void pause(Duration duration) {
    try {
      stopSignal.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  private void fail(Throwable error) {
    String problem =
        error instanceof ProjectorFatalException
            ? error.getMessage()
            : KafkaErrors.rootMessage(error);
    failure = error;
    LOG.error("{}: stopped: {}", config.instanceId(), problem, LOG.isDebugEnabled() ? error : null);
    endSession(Phase.FAILED, problem);
  }

  /**
   * The thread dies of an {@link Error} (a {@link VirtualMachineError}; in tests, a simulated
   * crash): nothing is committed or aborted, as in a process that died there; only the group
   * consumer is closed, staying in the group, so that its heartbeats stop. A successor with our
   * instance id fences what we left open; {@code /healthz} says so meanwhile.
   */
  private void crashed(Error error) {
    failure = error;
    publish(Phase.KILLED, null);
    LOG.error(
        "{}: the runner died ({}); nothing committed or aborted, the group consumer closed staying"
            + " in the group",
        config.instanceId(),
        error.toString());
    Session current = session;
    if (current != null) {
      try { // or its heartbeats would hold our partitions until max.poll.interval.ms
        current.abandon(Duration.ofSeconds(5));
      } catch (Throwable t) { // the JVM may be in no state to do it (an OutOfMemoryError)
        LOG.debug("closing the group consumer after the runner died failed", t);
      }
    }
  }

  /** For long waits outside the group consumer (restore): a close ends them. */
  private void checkStopping() {
    if (stopRequested) {
      throw new WakeupException();
    }
  }

  /** Publishes the status: a terminal phase, or (phase null) what the session is doing. */
  private void publish(@Nullable Phase terminal, @Nullable String problem) {
    Session current = session;
    Phase phase = terminal;
    String why = problem;
    if (phase == null) {
      if (current == null || !current.assignedOnce()) {
        phase = Phase.JOINING;
      } else if (!current.restoring().isEmpty()) {
        phase = Phase.RESTORING;
      } else {
        why = current.waitingForShare();
        phase = why == null ? Phase.RUNNING : Phase.AWAITING_SHARE;
      }
    }
    ProjectorStatus previous = status;
    ProjectorStatus next =
        current == null || phase == Phase.FAILED || phase == Phase.STOPPED || phase == Phase.KILLED
            ? new ProjectorStatus(phase, Set.of(), Set.of(), 0, problem)
            : new ProjectorStatus(
                phase, current.assigned(), current.restoring(), current.instances(), why);
    if (!next.equals(previous)) {
      status = next;
    }
    if (current != null) {
      metrics.holding(current.instances(), next.assigned().size(), next.restoring().size());
    }
  }

  ProjectorStatus status() {
    return status;
  }

  @Nullable Throwable failure() {
    return failure;
  }

  ProjectorMetrics metrics() {
    return metrics;
  }

  /** Asks for a clean stop: commit what is open, leave the group, close. */
  void requestStop() {
    stopRequested = true;
    stopSignal.countDown();
    parts.ownSchemas().stop(); // a registration in progress ends at once (not the lookups)
    Session current = session;
    if (current != null) {
      current.wakeup();
    }
  }
}
