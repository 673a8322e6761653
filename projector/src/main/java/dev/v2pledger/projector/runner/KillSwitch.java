package dev.v2pledger.projector.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A crash on demand, for the tests and devstack's fault runs ({@link Projector#kill()}): once
 * pulled, the runner's thread unwinds at its next check without committing, aborting or closing
 * anything, and the sessions it leaves behind keep their clients open, as a dead process's would,
 * until {@link #closeAbandoned()}. Production never pulls it; the checks cost a volatile read.
 */
final class KillSwitch {
  /** Unwinds the runner's thread: nothing is committed, aborted or closed. */
  static final class Killed extends RuntimeException {
    Killed() {
      super("killed", null, false, false);
    }
  }

  private final List<Session> abandoned = new ArrayList<>();
  private volatile boolean killed;

  void kill() {
    killed = true;
  }

  boolean killed() {
    return killed;
  }

  /** Throws {@link Killed} once the switch was pulled. */
  void check() {
    if (killed) {
      throw new Killed();
    }
  }

  /**
   * Keeps {@code session}'s clients as they are, open, for {@link #closeAbandoned()}; but its group
   * consumer stops heartbeating, as a dead process's would ({@link Session#stopHeartbeats}).
   */
  void abandon(@Nullable Session session) {
    if (session != null) {
      session.stopHeartbeats();
      synchronized (abandoned) {
        abandoned.add(session);
      }
    }
  }

  /** Closes the clients a kill abandoned, without committing anything. */
  void closeAbandoned() {
    List<Session> toClose;
    synchronized (abandoned) {
      toClose = new ArrayList<>(abandoned);
      abandoned.clear();
    }
    toClose.forEach(zombie -> zombie.close(Duration.ZERO, false));
  }
}
