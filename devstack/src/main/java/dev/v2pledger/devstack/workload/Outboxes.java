package dev.v2pledger.devstack.workload;

import dev.v2pledger.schema.domain.InstanceEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The publishers' outboxes: Nexus and every sled agent send their events in their own order, each
 * held back a random while now and then, so one publisher's events overtake another's as they do on
 * a real rack (a target's COMPLETED, or a source's DESTROYED, before Nexus' MigrationStarted). An
 * event held in a publisher's outbox holds the events behind it (each publisher's own order is
 * kept); a late redelivery (a publisher replaying what it sent before) is sent much later and holds
 * nothing. Time is counted in events offered to the outboxes.
 */
final class Outboxes {
  /** The longest an event is held, in events offered by all publishers meanwhile. */
  static final int MAX_HOLD = 24;

  /** A late redelivery comes this many to {@code 10 *} this many events later. */
  static final int LATE_MIN = 200;

  private record Held(long due, long order, InstanceEvent event) {}

  private final Random random;
  private final double holdRate;
  private final double lateRate;
  private final Consumer<InstanceEvent> sink;
  private final Map<String, Deque<Held>> outboxes = new HashMap<>();
  private final Map<String, Long> lastDue = new HashMap<>();
  private final PriorityQueue<Held> late =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
  private long clock;
  private long order;
  private long held;
  private long redelivered;

  /**
   * Outboxes that hold an event with probability {@code holdRate} and send one again much later
   * with probability {@code lateRate}; released events go to {@code sink}.
   */
  Outboxes(Random random, double holdRate, double lateRate, Consumer<InstanceEvent> sink) {
    this.random = random;
    this.holdRate = holdRate;
    this.lateRate = lateRate;
    this.sink = sink;
  }

  /** {@code publisher} sends {@code event}: at once, or after what it holds. */
  void send(String publisher, InstanceEvent event) {
    clock++;
    long hold = random.nextDouble() < holdRate ? 1 + random.nextInt(MAX_HOLD) : 0;
    held += hold > 0 ? 1 : 0;
    long due = Math.max(lastDue.getOrDefault(publisher, 0L), clock + hold);
    lastDue.put(publisher, due);
    outboxes.computeIfAbsent(publisher, p -> new ArrayDeque<>()).add(new Held(due, order++, event));
    if (random.nextDouble() < lateRate) {
      redelivered++;
      late.add(new Held(clock + LATE_MIN + random.nextInt(9 * LATE_MIN), order++, event));
    }
    release(false);
  }

  /** Sends everything still held, in due order. */
  void flush() {
    release(true);
  }

  long held() {
    return held;
  }

  long redelivered() {
    return redelivered;
  }

  private void release(boolean all) {
    while (true) {
      Held next = null;
      Deque<Held> from = null;
      for (Deque<Held> outbox : outboxes.values()) {
        Held head = outbox.peekFirst();
        if (head != null && (all || head.due <= clock) && (next == null || earlier(head, next))) {
          next = head;
          from = outbox;
        }
      }
      Held lateHead = late.peek();
      if (lateHead != null
          && (all || lateHead.due <= clock)
          && (next == null || earlier(lateHead, next))) {
        late.poll();
        sent(lateHead);
      } else if (next != null) {
        from.pollFirst();
        sent(next);
      } else {
        return;
      }
    }
  }

  private void sent(Held h) {
    sink.accept(h.event);
  }

  private static boolean earlier(Held a, Held b) {
    return a.due != b.due ? a.due < b.due : a.order < b.order;
  }

  /** What is still held, for tests. */
  List<InstanceEvent> pending() {
    List<InstanceEvent> out = new ArrayList<>();
    outboxes.values().forEach(outbox -> outbox.forEach(h -> out.add(h.event)));
    late.forEach(h -> out.add(h.event));
    return out;
  }
}
