package dev.v2pledger.schema.registry;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;

/**
 * A writer's own schemas in {@code v2p.schemas} (DESIGN "Schemas in the log"): put there before its
 * first record and, until that has worked, tried again before a later one ({@link #beforeWrite}).
 * What a failed attempt means for the write depends on why it failed:
 *
 * <ul>
 *   <li>a failure that may pass (a retriable error in its causes: a read or write that timed out, a
 *       broker that does not answer, too few in-sync replicas) holds the write back: {@link
 *       #beforeWrite} throws {@link NotRegisteredException}, retriable, so no record goes out whose
 *       schema could not be put there; the next write tries again (an attempt that fails so has
 *       waited for the broker up to its timeouts, so the attempts pace themselves);
 *   <li>a refusal that stays (no topic, no ACL, a write the broker refuses): writes may go on
 *       (readers as new as this build need no registry; the writer decides whether older readers
 *       can wait: EventPublisher's cannot), and it is tried again before a write once the retry
 *       interval has passed since, so a topic made later gets them.
 * </ul>
 *
 * Thread-safe: one attempt at a time.
 */
public final class SchemaRegistration {
  /** The least time between two attempts after a refusal that stays. */
  public static final Duration RETRY = Duration.ofSeconds(10);

  /** Puts schemas into the registry ({@link LogSchemas#register}): returns those it wrote. */
  @FunctionalInterface
  public interface Registry {
    List<Schema> register(List<Schema> schemas);
  }

  /** What one call of {@link #beforeWrite} did, for the writer's log. */
  public enum Status {
    /** Nothing to say: registered before, refused again (said already), or not tried. */
    UNCHANGED,
    /** Registered now ({@link Attempt#written}: none when they were there already). */
    REGISTERED,
    /**
     * Refused now, the first time in a row: say it once; the writer decides whether its writes go
     * on (EventPublisher's do not while older readers need the schema).
     */
    REFUSED
  }

  /**
   * One call's outcome: its status, the schemas it wrote, why it was refused (the last refusal, for
   * {@link Status#REFUSED}), and whether an attempt had been refused before this one succeeded.
   */
  public record Attempt(
      Status status,
      List<Schema> written,
      @Nullable RuntimeException refusal,
      boolean refusedBefore) {
    public Attempt {
      written = List.copyOf(written);
    }

    static final Attempt UNCHANGED = new Attempt(Status.UNCHANGED, List.of(), null, false);
  }

  private final Registry registry;
  private final List<Schema> schemas;
  private final long retryNanos;
  private final LongSupplier nanoTime;
  private boolean registered;

  /** The refusal of the last attempt, while it stays (no attempt has succeeded since). */
  private @Nullable RuntimeException refusal;

  /** Whether the last attempt failed for a reason that may pass: writes wait for the next one. */
  private boolean heldBack;

  private long refusedAt;

  /**
   * @param registry where the schemas go (a writer's {@code LogSchemas})
   * @param schemas the schemas this writer writes its records with
   * @param retry the least time between two attempts after a refusal that stays
   * @param nanoTime the clock of those times ({@link System#nanoTime} outside tests)
   */
  public SchemaRegistration(
      Registry registry, List<Schema> schemas, Duration retry, LongSupplier nanoTime) {
    this.registry = registry;
    this.schemas = List.copyOf(schemas);
    this.retryNanos = retry.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Before a write: registers the schemas, unless done already or refused less than the retry
   * interval ago.
   *
   * @return what this call did, for the writer's log; the write may go
   * @throws NotRegisteredException when this attempt failed for a reason that may pass: the write
   *     must wait (retriable; the next call tries again)
   * @throws WakeupException when the registry was stopped (the writer stops)
   */
  public synchronized Attempt beforeWrite() {
    if (registered || (refusal != null && nanoTime.getAsLong() - refusedAt < retryNanos)) {
      return Attempt.UNCHANGED;
    }
    RuntimeException before = refusal;
    try {
      List<Schema> written = registry.register(schemas);
      registered = true;
      refusal = null;
      heldBack = false;
      return new Attempt(Status.REGISTERED, written, null, before != null);
    } catch (WakeupException | InterruptException e) {
      throw e;
    } catch (RuntimeException e) {
      heldBack = mayPass(e);
      if (heldBack) {
        throw new NotRegisteredException(e);
      }
      refusal = e;
      refusedAt = nanoTime.getAsLong();
      return before == null ? new Attempt(Status.REFUSED, List.of(), e, false) : Attempt.UNCHANGED;
    }
  }

  /** Whether the schemas are in the registry (as far as this writer knows). */
  public synchronized boolean registered() {
    return registered;
  }

  /**
   * Whether a write may go without another attempt (when none can be made: the registry stopped):
   * the schemas are registered, or the last attempt was refused for good; not after a failure that
   * may pass, nor before any attempt.
   */
  public synchronized boolean writesMayGo() {
    return registered || (refusal != null && !heldBack);
  }

  /** Whether a retriable error comes first in {@code error}'s causes (an ACL comes before it). */
  static boolean mayPass(Throwable error) {
    Throwable cause = error;
    for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
      if (cause instanceof AuthorizationException || cause instanceof AuthenticationException) {
        return false;
      }
      if (cause instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The writer's schemas could not be registered now, for a reason that may pass (the cause): the
   * write waits, and is tried again. Retriable, as its cause.
   */
  public static final class NotRegisteredException extends RetriableException {
    NotRegisteredException(RuntimeException cause) {
      super(
          "not writing before this writer's schemas are registered: " + cause.getMessage(), cause);
    }
  }
}
