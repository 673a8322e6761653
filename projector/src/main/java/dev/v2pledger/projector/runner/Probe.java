package dev.v2pledger.projector.runner;

/**
 * Points of the transaction cycle where a test can stall or crash a projector: the places where a
 * real process may die or pause. Production uses {@link #NONE}. Called on the projector's thread; a
 * probe that blocks stalls the projector (its group membership and transaction time out as they
 * would in a long GC pause), one that calls {@link Projector#kill()} crashes it right there.
 */
@FunctionalInterface
public interface Probe {

  /** Where the projector is. */
  enum Point {
    /** One event was folded and its records were sent (in the open transaction). */
    EVENT_PROCESSED,
    /** A commit begins: records sent, changed states not written yet. */
    BEFORE_COMMIT,
    /** Changed states were sent to the changelog; offsets not sent yet. */
    STATE_WRITTEN,
    /** Offsets were sent to the transaction; it is not committed yet. */
    OFFSETS_SENT,
    /** The transaction committed. */
    COMMITTED
  }

  Probe NONE = point -> {};

  void at(Point point);
}
