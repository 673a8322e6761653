package dev.v2pledger.devstack.testing;

import dev.v2pledger.projector.runner.Crashable;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's local projectors started on Kafka clients a test can crash (the projector's test jar,
 * {@link Crashable}): pass {@link #start} as the run's {@code RunHooks.startProjector}, then {@link
 * #kill} one mid-run (no commit, no abort, no close) and, once it was started again, {@link
 * #closeAbandoned} what it left open.
 */
public final class Crashes {
  private final List<Crashable> started = new ArrayList<>();

  public synchronized Projector start(ProjectorConfig config) {
    Crashable crashable = Crashable.start(config);
    started.add(crashable);
    return crashable.projector();
  }

  /** Crashes {@code projector} and waits until its thread ended and its heartbeats stopped. */
  public void kill(Projector projector) {
    Crashable found = null;
    synchronized (this) {
      for (Crashable crashable : started) {
        if (crashable.projector() == projector) {
          found = crashable;
        }
      }
    }
    if (found == null) {
      throw new IllegalArgumentException(projector.instanceId() + " was not started here");
    }
    found.kill();
  }

  /** Closes the clients the killed projectors left open, without committing anything. */
  public void closeAbandoned() {
    List<Crashable> all;
    synchronized (this) {
      all = new ArrayList<>(started);
      started.removeIf(Crashable::killed);
    }
    all.forEach(Crashable::closeAbandoned);
  }
}
