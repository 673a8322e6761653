package dev.v2pledger.runtime.kafka;

import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.RecordDecodeException;

/**
 * What stops a reading command at a record whose schema {@code v2p.schemas} refused to let it look
 * up (no Read ACL, say), or did not answer in time for: a component with the access this reader
 * lacks may use the record, and a registry that answers later may know its schema, so counting it
 * as undecodable would report something that is not so.
 */
public final class RegistryRefusal {
  private RegistryRefusal() {}

  /**
   * The one-line failure (exit 1).
   *
   * @param mayStill who may still use the record: "the projector may have folded it", say
   * @param detail why the lookup failed
   */
  public static UsageException stop(String mayStill, String detail) {
    return new UsageException(
        Topics.SCHEMAS
            + " refused this reader, so a record of a schema this build does not know"
            + " cannot be decoded here, though "
            + mayStill
            + " ("
            + detail
            + "); give this principal Read on "
            + Topics.SCHEMAS
            + " (docs/SECURITY.md) and run again",
        Cli.EXIT_FAILURE);
  }

  /**
   * The one-line failure (exit 2, as for a broker that does not answer) at a record whose schema
   * could not be looked up because {@code v2p.schemas} did not answer in time ({@link
   * RecordDecodeException#isTransient}): nothing is known of the record, which is not counted as
   * undecodable.
   */
  public static UsageException unanswered(RecordDecodeException e) {
    return unanswered(e, "undecodable");
  }

  /**
   * As {@link #unanswered(RecordDecodeException)}, for a reader that counts records it cannot use
   * as {@code notCountedAs} ("refused", say): the record (its {@code topic-partition@offset}
   * first), why the lookup failed, that {@code v2p.schemas} did not answer in time, and what to do.
   */
  public static UsageException unanswered(RecordDecodeException e, String notCountedAs) {
    return new UsageException(
        Cli.oneLine(e.getMessage())
            + ": "
            + Topics.SCHEMAS
            + " did not answer in time (not counted as "
            + notCountedAs
            + ": run again once "
            + Topics.SCHEMAS
            + " answers)",
        Cli.EXIT_USAGE,
        e);
  }
}
