package dev.v2pledger.applier.reconcile;

import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconcile passes: dump the device, diff against desired, make the calls. A failed call is
 * counted and logged once with its key, and left for the next pass (no retry inside a pass). When
 * the device itself fails (no driver, no privilege, other API version, closed), the rest of the
 * pass is not attempted: every call would fail the same way.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final int LOGGED_FAILURES_PER_PASS = 20;

  private final Xde xde;
  private final LongSupplier nanoTime;
  private long passes;

  /**
   * @param xde the device
   * @param nanoTime a monotonic clock for durations ({@code System::nanoTime} in production)
   */
  public Reconciler(Xde xde, LongSupplier nanoTime) {
    this.xde = xde;
    this.nanoTime = nanoTime;
  }

  /** One full pass of {@code desired} against the device. */
  public PassResult reconcile(Desired desired) {
    return reconcile(desired, true);
  }

  /**
   * One full pass; without {@code clearsAllowed} it sets what is missing or different and issues no
   * clear (counted as withheld): an applier that cannot decode a record, or has not read a
   * partition to its end, must not delete what that record might keep.
   */
  public PassResult reconcile(Desired desired, boolean clearsAllowed) {
    return reconcile(desired, clearsAllowed, vip -> false);
  }

  /**
   * As {@link #reconcile(Desired, boolean)}, leaving the device's entry of every VIP {@code kept}
   * accepts as it is when there is one (counted as withheld): a record held undecodable may be
   * newer than desired's record of that VIP, so the entry the device has may be the right one. A
   * missing entry is still set (nothing there to lose), a kept entry not cleared.
   */
  public PassResult reconcile(Desired desired, boolean clearsAllowed, Predicate<Vip> kept) {
    long number = ++passes;
    long start = nanoTime.getAsLong();
    List<XdeMapping> observed;
    try {
      observed = xde.dump();
    } catch (XdeException e) {
      LOG.warn("reconcile pass {}: cannot read the device: {}", number, e.getMessage());
      return PassResult.dumpFailed(number, since(start), e.getMessage());
    }
    Plan plan = Plan.of(desired, observed);
    return execute(number, plan, clearsAllowed, kept, start);
  }

  private PassResult execute(
      long number, Plan plan, boolean clearsAllowed, Predicate<Vip> kept, long start) {
    int withheld = 0;
    int set = 0;
    int cleared = 0;
    int failed = 0;
    Map<DriftReason, Integer> repaired = new EnumMap<>(DriftReason.class);
    List<Action> repairs = new ArrayList<>();
    List<Action> actions = plan.actions();
    for (int i = 0; i < actions.size(); i++) {
      Action action = actions.get(i);
      if (!clearsAllowed && !action.isSet()
          || (action.reason() == DriftReason.DIFFERENT || !action.isSet())
              && kept.test(action.vip())) { // a kept entry is neither replaced nor cleared
        withheld++;
        continue;
      }
      try {
        action.applyTo(xde);
      } catch (XdeException e) {
        failed++;
        logFailure(number, failed, action, e);
        if (e.isDeviceWide()) {
          failed += actions.size() - i - 1;
          LOG.warn(
              "reconcile pass {}: device unusable, {} calls not attempted",
              number,
              actions.size() - i - 1);
          break;
        }
        continue;
      }
      if (action.isSet()) {
        set++;
      } else {
        cleared++;
      }
      DriftReason reason = action.reason();
      if (reason != null) {
        repaired.merge(reason, 1, Integer::sum);
        if (repairs.size() < PassResult.LISTED_REPAIRS) {
          repairs.add(action);
        }
      }
    }
    PassResult result =
        new PassResult(
            number,
            set,
            cleared,
            plan.inSync(),
            plan.excludedSkipped(),
            failed,
            withheld,
            repaired,
            repairs,
            since(start),
            null);
    if (set + cleared + failed + withheld > 0) {
      LOG.info("reconcile {}", result);
    } else {
      LOG.debug("reconcile {}", result);
    }
    return result;
  }

  private static void logFailure(long number, int failed, Action action, XdeException e) {
    if (failed <= LOGGED_FAILURES_PER_PASS) {
      LOG.warn("reconcile pass {}: {} failed: {}", number, action, e.getMessage());
    } else if (failed == LOGGED_FAILURES_PER_PASS + 1) {
      LOG.warn("reconcile pass {}: more calls failed; counting them without logging", number);
    }
  }

  private Duration since(long start) {
    return Duration.ofNanos(nanoTime.getAsLong() - start);
  }

  /** Passes run so far. */
  public long passes() {
    return passes;
  }
}
