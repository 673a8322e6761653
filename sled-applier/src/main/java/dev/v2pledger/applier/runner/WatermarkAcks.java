package dev.v2pledger.applier.runner;

import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.registry.SchemaRegistration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the engine's new watermarks to the {@link AckPublisher} (one ack per partition that moved),
 * after looking at its last send failure: a fatal one stops the applier ({@link AckFailure}), any
 * other makes every watermark be sent again. Also registers the ack schema at start. Runs on the
 * applier thread (but for {@link #report}).
 */
final class WatermarkAcks {
  private static final Logger LOG = LoggerFactory.getLogger(ApplierLoop.class); // the loop's lines

  private final LoopContext context;

  /** Sends that threw since the broker last took an ack (good steps between them do not count). */
  private int thrownSinceDelivered;

  WatermarkAcks(LoopContext context) {
    this.context = context;
  }

  /**
   * Puts the ack schema in v2p.schemas before the first ack (DESIGN "Schemas in the log"): the
   * first attempt, at start; until it has worked, the ack sender tries again before it sends
   * ({@link AckPublisher}). A failure only warns here.
   */
  void registerSchema(SchemaRegistration registration) {
    try {
      report(context.sledId(), registration.beforeWrite());
    } catch (WakeupException e) {
      return; // the applier stops: nothing to say
    } catch (SchemaRegistration.NotRegisteredException e) {
      LOG.warn(
          "sled {}: cannot register the ack schema in {} yet; acks wait until it is (tried again"
              + " before they are sent): {}",
          context.sledId(),
          Topics.SCHEMAS,
          KafkaErrors.rootMessage(e));
    } catch (RuntimeException e) {
      LOG.warn(
          "sled {}: cannot register the ack schema in {}: {}",
          context.sledId(),
          Topics.SCHEMAS,
          KafkaErrors.rootMessage(e));
    }
  }

  /** Says what an attempt to register the ack schema did (any thread). */
  static void report(SledId sled, SchemaRegistration.Attempt attempt) {
    switch (attempt.status()) {
      case REGISTERED -> {
        if (attempt.refusedBefore()) {
          LOG.info("sled {}: registered the ack schema in {}", sled, Topics.SCHEMAS);
        }
      }
      case REFUSED ->
          LOG.warn(
              "sled {}: cannot register the ack schema in {} (readers built before it will not"
                  + " decode acks; tried again every {} s): {}",
              sled,
              Topics.SCHEMAS,
              SchemaRegistration.RETRY.toSeconds(),
              KafkaErrors.rootMessage(Objects.requireNonNull(attempt.refusal())));
      case UNCHANGED -> {}
    }
  }

  /** Sends the acks not sent yet; whether there were any. */
  boolean publish(AckPublisher acks) {
    if (acks.takeDelivered()) {
      thrownSinceDelivered = 0;
    }
    RuntimeException thrown = acks.takeThrown();
    if (thrown != null) { // as if thrown here: the loop classifies it (and counts it, if unknown)
      context.engine().watermarks().republish();
      throw new AckFailure(thrown, ++thrownSinceDelivered);
    }
    Exception sendFailure = acks.takeFailure();
    if (sendFailure != null) {
      KafkaErrors.Kind kind = KafkaErrors.classify(sendFailure);
      if (kind == KafkaErrors.Kind.FATAL || kind == KafkaErrors.Kind.FENCED) {
        throw new AckFailure(sendFailure, 1);
      }
      LOG.warn(
          "sled {}: an ack was not sent, sending again: {}",
          context.sledId(),
          KafkaErrors.rootMessage(sendFailure));
      context.engine().watermarks().republish();
    }
    for (int partition :
        context.engine().watermarks().takeWentBack()) { // other records now: a new time
      acks.forget(partition);
    }
    Map<Integer, Long> marks = context.engine().unpublishedAcks();
    for (Map.Entry<Integer, Long> mark : marks.entrySet()) {
      acks.send(mark.getKey(), mark.getValue());
      context.engine().markPublished(mark.getKey(), mark.getValue());
      context.metrics().recordAck();
    }
    return !marks.isEmpty();
  }

  /** An ack send failed with an error the applier thread handles as its own. */
  static final class AckFailure extends RuntimeException {
    private final int inARow;

    AckFailure(Exception cause, int inARow) {
      super("cannot publish acks to " + Topics.ACKS + ": " + cause.getMessage(), cause);
      this.inARow = inARow;
    }

    /**
     * How many sends in a row failed so, with no ack delivered between them: the steps between them
     * went well (the sender fails after the step that handed the acks over), so the loop counts
     * these rather than its errors in a row.
     */
    int inARow() {
      return inARow;
    }
  }
}
