package dev.v2pledger.projector.runner;

import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.avro.InstanceStateRecord;
import dev.v2pledger.schema.avro.V2PMapping;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.registry.SchemaRegistration;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schemas this projector writes, put into {@code v2p.schemas} before its first record and,
 * until that has worked, tried again before a later transaction ({@link SchemaRegistration}). A
 * stop ends an attempt in progress ({@link #stop}).
 */
final class OwnSchemas {
  private static final Logger LOG = LoggerFactory.getLogger(OwnSchemas.class);

  private final ProjectorConfig config;
  private final SchemaRegistration registration;

  /** Guards the three fields below: a stop comes from another thread. */
  private final Object stopLock = new Object();

  /** The thread of the attempt in progress, if any. */
  private @Nullable Thread registering;

  private boolean stopping;

  /** Whether {@link #stop} interrupted the attempt in progress. */
  private boolean interruptedByStop;

  OwnSchemas(ProjectorConfig config, LogSchemas schemas) {
    this.config = config;
    this.registration =
        new SchemaRegistration(
            schemas::register,
            List.of(V2PMapping.getClassSchema(), InstanceStateRecord.getClassSchema()),
            SchemaRegistration.RETRY,
            config.nanoTime());
  }

  /**
   * As a session starts, before it restores: the runner's first attempt, which also reads {@code
   * v2p.schemas}, so that a topic found then and gone later is retried, not taken for "nothing
   * registered" (DESIGN "Schemas in the log"). A failure is only said here (thrown, it would leave
   * the clients just opened, not yet the session's, unclosed): the session's first transaction
   * tries again.
   */
  void atSessionStart() {
    try {
      beforeWrite();
    } catch (WakeupException e) {
      // stopping: the session's start ends at its next check
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: cannot register this projector's schemas in {} yet (tried again before its first"
              + " transaction): {}",
          config.instanceId(),
          config.topics().schemas(),
          KafkaErrors.rootMessage(e));
    }
  }

  /**
   * Before a transaction begins: puts the schemas this projector writes into {@code v2p.schemas}
   * unless done, so readers built before them can decode what it writes (DESIGN "Schemas in the
   * log"). A cluster without the topic, or a principal without Write on it, only costs that:
   * readers of this build's schemas decode them anyway; it is tried again every 10 s.
   *
   * @throws SchemaRegistration.NotRegisteredException when it could not be done now for a reason
   *     that may pass (a timeout): retriable, the attempt fails and is retried, so nothing is
   *     written before the schemas are registered
   * @throws WakeupException when a stop ended the attempt, or came before it
   */
  void beforeWrite() {
    SchemaRegistration.Attempt attempt = attempt();
    switch (attempt.status()) {
      case REGISTERED -> {
        if (!attempt.written().isEmpty() || attempt.refusedBefore()) {
          LOG.info(
              "{}: registered {} schema(s) in {}",
              config.instanceId(),
              attempt.written().size(),
              config.topics().schemas());
        }
      }
      case REFUSED ->
          LOG.warn(
              "{}: cannot register this projector's schemas in {} (readers built before them will"
                  + " not decode its records; tried again every {} s): {}",
              config.instanceId(),
              config.topics().schemas(),
              SchemaRegistration.RETRY.toSeconds(),
              KafkaErrors.rootMessage(Objects.requireNonNull(attempt.refusal())));
      case UNCHANGED -> {}
    }
  }

  /**
   * Ends the attempt in progress at once with a {@link WakeupException}, and makes no later one (a
   * write that would need one ends so too; one whose schemas are registered, or were refused for
   * good, goes on, as the last transactions of a clean stop do): its read of {@code v2p.schemas}
   * and its write wait up to 10 s and 30 s for a broker that does not answer, and a stop waited for
   * them. It interrupts the runner's thread while, and only while, it registers (the interrupt
   * never outlives the attempt), rather than stopping the runner's {@link LogSchemas}: that would
   * also end its lookups, and a clean stop still decodes the events it has polled before it commits
   * them, where a lookup so ended is taken for a registry that refused the runner, and the event is
   * dead-lettered. Any thread.
   */
  void stop() {
    synchronized (stopLock) {
      stopping = true;
      if (registering != null) {
        interruptedByStop = true;
        registering.interrupt();
      }
    }
  }

  /** One call of {@link SchemaRegistration#beforeWrite} that {@link #stop} may end. */
  private SchemaRegistration.Attempt attempt() {
    boolean stopped;
    synchronized (stopLock) {
      stopped = stopping;
      if (!stopped) {
        registering = Thread.currentThread();
      }
    }
    if (stopped) { // no attempt once stopping: a write that needs one waits for the next runner
      if (!registration.writesMayGo()) {
        throw new WakeupException();
      }
      return new SchemaRegistration.Attempt(
          SchemaRegistration.Status.UNCHANGED, List.of(), null, false);
    }
    SchemaRegistration.Attempt attempt = null;
    RuntimeException failed = null;
    boolean ended;
    try {
      attempt = registration.beforeWrite();
    } catch (RuntimeException e) {
      failed = e;
    } finally {
      ended = leave();
    }
    if (ended && (failed != null || !registration.registered())) {
      // the stop's interrupt ended it (it may come out wrapped, even as a refusal): nothing written
      throw new WakeupException();
    }
    if (failed != null) {
      throw failed;
    }
    return Objects.requireNonNull(attempt);
  }

  /** The attempt is over: whether the stop interrupted it (its interrupt is cleared here). */
  private boolean leave() {
    synchronized (stopLock) {
      registering = null;
      boolean interrupted = interruptedByStop;
      if (interrupted) {
        Thread.interrupted(); // the stop's interrupt never outlives the attempt
        interruptedByStop = false;
      }
      return interrupted;
    }
  }
}
