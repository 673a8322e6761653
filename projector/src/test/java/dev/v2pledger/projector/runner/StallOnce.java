package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.testing.Harness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A probe that stalls the projector once (a long GC pause, a frozen VM...): at a point or right
 * before a transaction call, once armed and its condition holds, until {@link #wake()}. It logs
 * every transaction call as "method transactionalId", so a test can tell what the projector did
 * with the stalled transaction.
 */
final class StallOnce implements Probe {
  private final @Nullable Point point;
  private final @Nullable String call;
  private final CountDownLatch stalled = new CountDownLatch(1);
  private final CountDownLatch wake = new CountDownLatch(1);
  private final AtomicReference<@Nullable BooleanSupplier> armed = new AtomicReference<>();
  private final AtomicReference<String> begun = new AtomicReference<>();
  private final AtomicReference<String> stalledTransaction = new AtomicReference<>();
  private final List<String> calls = new ArrayList<>();
  private int callsAtStall = -1;

  StallOnce(Point point) {
    this.point = point;
    this.call = null;
  }

  /** Stalls right before the transaction call {@code method} (e.g. {@code beginTransaction}). */
  StallOnce(String method) {
    this.point = null;
    this.call = method;
  }

  /** Stalls at the next pass of the point at which {@code when} holds. */
  void arm(BooleanSupplier when) {
    armed.set(when);
  }

  /**
   * Stalls {@code projector} in its next transaction that wrote mappings, so that its aborted
   * records can be compared with its successor's.
   */
  void armInATransactionThatWroteMappings(Projector projector, Harness harness) {
    String mappings = harness.topics().mappings();
    double before = projector.metrics().count("written", mappings);
    arm(() -> projector.metrics().count("written", mappings) > before);
  }

  boolean awaitStalled() throws InterruptedException {
    return awaitStalled(30, TimeUnit.SECONDS);
  }

  boolean awaitStalled(long timeout, TimeUnit unit) throws InterruptedException {
    return stalled.await(timeout, unit);
  }

  void wake() {
    wake.countDown();
  }

  /** The transactional id of the producer whose transaction was open at the stall. */
  String stalledTransaction() {
    return stalledTransaction.get();
  }

  /** Every transaction call heard so far. */
  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** The transaction calls made since the stall. */
  synchronized List<String> callsSinceStall() {
    return callsAtStall < 0 ? List.of() : List.copyOf(calls.subList(callsAtStall, calls.size()));
  }

  @Override
  public void transactionCall(String transactionalId, String method) {
    synchronized (this) {
      calls.add(method + " " + transactionalId);
      if (method.equals("beginTransaction")) {
        begun.set(transactionalId);
      }
    }
    if (method.equals(call)) {
      maybeStall();
    }
  }

  @Override
  public void at(Point reached) {
    if (reached == point) {
      maybeStall();
    }
  }

  /** The index of the first of {@code calls} that starts with {@code prefix}, or -1. */
  static int indexOf(List<String> calls, String prefix) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  private void maybeStall() {
    BooleanSupplier when = armed.get();
    if (when == null || !when.getAsBoolean() || !armed.compareAndSet(when, null)) {
      return;
    }
    synchronized (this) {
      stalledTransaction.set(begun.get());
      callsAtStall = calls.size();
    }
    stalled.countDown();
    try {
      wake.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
