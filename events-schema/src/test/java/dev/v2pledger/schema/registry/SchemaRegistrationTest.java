package dev.v2pledger.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.avro.ApplierAck;
import dev.v2pledger.schema.registry.SchemaRegistration.Attempt;
import dev.v2pledger.schema.registry.SchemaRegistration.NotRegisteredException;
import dev.v2pledger.schema.registry.SchemaRegistration.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/**
 * A writer's registration, tried before its writes until it works: what each failure means for the
 * write, and how often it is tried again.
 */
class SchemaRegistrationTest {
  private static final Schema SCHEMA = ApplierAck.getClassSchema();
  private static final Duration RETRY = Duration.ofSeconds(10);

  /** A registry that answers each attempt with the next scripted outcome, and counts them. */
  private final Deque<RuntimeException> failures = new ArrayDeque<>();

  private final List<List<Schema>> attempts = new ArrayList<>();
  private long now;

  private final SchemaRegistration registration =
      new SchemaRegistration(
          schemas -> {
            attempts.add(schemas);
            RuntimeException failure = failures.poll();
            if (failure != null) {
              throw failure;
            }
            return schemas;
          },
          List.of(SCHEMA),
          RETRY,
          () -> now);

  @Test
  void registeredAtTheFirstWrite_thenNeverAskedAgain() {
    Attempt first = registration.beforeWrite();

    assertThat(first.status()).isEqualTo(Status.REGISTERED);
    assertThat(first.written()).containsExactly(SCHEMA);
    assertThat(registration.beforeWrite().status()).isEqualTo(Status.UNCHANGED);
    assertThat(attempts).hasSize(1);
  }

  /**
   * A registration that timed out holds the write back (no record goes out whose schema could not
   * be put there) with a retriable error, and the next write tries again at once: it never tried
   * again, and every later record went out while its schema was not registered.
   */
  @Test
  void aFailureThatMayPass_holdsTheWriteBack_andTheNextWriteTriesAgain() {
    failures.add(new KafkaException("cannot register", new TimeoutException("no answer")));
    failures.add(new TimeoutException("cannot read v2p.schemas to its end"));

    assertThatThrownBy(registration::beforeWrite)
        .isInstanceOf(NotRegisteredException.class)
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("cannot register")
        .hasRootCauseMessage("no answer");
    assertThatThrownBy(registration::beforeWrite).isInstanceOf(NotRegisteredException.class);
    assertThat(registration.writesMayGo()).isFalse();
    Attempt third = registration.beforeWrite();

    assertThat(third.status()).isEqualTo(Status.REGISTERED);
    assertThat(attempts).as("one attempt per write, with no pause between").hasSize(3);
    assertThat(registration.registered()).isTrue();
  }

  /**
   * A refusal that stays (no topic, no ACL) lets writes go on, as readers of this build's schemas
   * need no registry; it is said once, and tried again once the retry interval has passed, so a
   * topic made later gets the schemas.
   */
  @Test
  void aRefusalThatStays_writesGoOn_triedAgainAfterTheInterval_untilItWorks() {
    IllegalStateException missing = new IllegalStateException("v2p.schemas does not exist");
    failures.add(missing);
    failures.add(new KafkaException("cannot register", new TopicAuthorizationException("no")));

    Attempt refused = registration.beforeWrite();
    now += RETRY.toNanos() - 1;
    Attempt tooSoon = registration.beforeWrite();
    now += 1;
    Attempt refusedAgain = registration.beforeWrite();
    now += RETRY.toNanos();
    Attempt registered = registration.beforeWrite();

    assertThat(registration.writesMayGo()).isTrue();
    assertThat(refused.status()).isEqualTo(Status.REFUSED);
    assertThat(refused.refusal()).isSameAs(missing);
    assertThat(tooSoon.status()).isEqualTo(Status.UNCHANGED);
    assertThat(refusedAgain.status()).as("said once").isEqualTo(Status.UNCHANGED);
    assertThat(registered.status()).isEqualTo(Status.REGISTERED);
    assertThat(registered.refusedBefore()).isTrue();
    assertThat(attempts).hasSize(3);
  }

  @Test
  void aStoppedRegistry_stopsTheWriter() {
    failures.add(new WakeupException());

    assertThatThrownBy(registration::beforeWrite).isInstanceOf(WakeupException.class);
    assertThat(registration.registered()).isFalse();
    assertThat(registration.writesMayGo()).as("never tried").isFalse();
  }
}
