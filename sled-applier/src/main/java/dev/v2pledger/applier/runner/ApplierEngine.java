package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.reconcile.Action;
import dev.v2pledger.applier.reconcile.Deltas;
import dev.v2pledger.applier.reconcile.Desired;
import dev.v2pledger.applier.reconcile.PassResult;
import dev.v2pledger.applier.reconcile.Reconciler;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.TombstoneHeader;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Version.Verdict;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier thread's state, without Kafka: the desired table, the device, the watermarks. Records
 * read during the snapshot only build desired; {@link #completeSnapshot} then allows calls: each
 * new record that changes desired is applied at once, and {@link #reconcile} runs a full pass.
 * Nothing is cleared before the snapshot is complete. Not thread-safe: one thread owns it.
 */
public final class ApplierEngine {
  private static final Logger LOG = LoggerFactory.getLogger(ApplierEngine.class);

  private final Desired desired;
  private final Xde xde;
  private final Reconciler reconciler;
  private final ApplierMetrics metrics;
  private final Watermarks watermarks = new Watermarks();
  private final Holds holds = new Holds();

  private boolean snapshotComplete;
  private boolean catchUpEnded;
  private boolean holdEnded;
  private @Nullable PassResult lastPass;

  /**
   * @param xde the device, already metered if wanted
   * @param excludedVnis VNIs never touched
   */
  public ApplierEngine(
      Xde xde, Set<Vni> excludedVnis, ApplierMetrics metrics, LongSupplier nanoTime) {
    this.desired = new Desired(excludedVnis);
    this.xde = xde;
    this.reconciler = new Reconciler(xde, nanoTime);
    this.metrics = metrics;
  }

  /** Handles the record at {@code offset} of {@code partition}: desired first, then the device. */
  public Verdict offer(V2PMapping record, int partition, long offset) {
    return offer(record, partition, offset, NO_TIME);
  }

  /** A record's cause time when it is not known: no apply latency is recorded for it. */
  public static final long NO_TIME = Long.MIN_VALUE;

  /**
   * As {@link #offer(V2PMapping, int, long)}, for a record whose causing event was logged at {@code
   * causeEpochMillis}: when its call succeeds, the time from then to now is an apply latency.
   */
  public Verdict offer(V2PMapping record, int partition, long offset, long causeEpochMillis) {
    if (holds.anyHeld()) {
      readWhileHeld(record.key(), partition, offset, "record");
    }
    Verdict verdict = desired.offer(record);
    holds.read(record, partition, offset);
    metrics.recordVerdict(verdict);
    if (verdict == Verdict.CONFLICT) {
      LOG.warn(
          "{}-{}@{}: {} has the version of the held record but other content (a newer fold's"
              + " decision); it replaces the held one",
          Topics.MAPPINGS,
          partition,
          offset,
          record);
    }
    if (snapshotComplete) {
      Action action = Deltas.actionFor(record, verdict, desired);
      boolean again = verdict == Verdict.CONFLICT && watermarks.readAgain(partition, offset);
      if (action != null // a conflict read again: the later record of its version may follow
          && (again || (action.isSet() ? kept().contains(action.vip()) : holds.clearsWithheld()))) {
        metrics.recordWithheld(1); // the pass after the hold ends issues it
        watermarks.deltaFailed(partition, offset);
        if (again) {
          watermarks.conflictReadAgain(partition, record.vip()); // passes keep its entry too
        }
        return verdict;
      }
      if (action != null) {
        if (apply(action, partition, offset) && causeEpochMillis != NO_TIME) {
          metrics.recordApplied(causeEpochMillis);
        }
      }
    }
    return verdict;
  }

  private boolean apply(Action action, int partition, long offset) {
    try {
      action.applyTo(xde);
      metrics.recordDelta(true);
      return true;
    } catch (XdeException e) {
      metrics.recordDelta(false);
      watermarks.deltaFailed(partition, offset); // a device-wide one: TrackedXde tells us too
      LOG.warn(
          "{}@{}: {} failed, the next pass retries: {}", partition, offset, action, e.getMessage());
      return false;
    }
  }

  /**
   * A tombstone at {@code offset} of {@code partition}: the projector removed {@code key}, an
   * allocation gone for good (DESIGN "Bounded growth"). Its record was CLEARED; were it SET, the
   * entry is cleared as a CLEARED record's would be.
   */
  public void retire(MappingKey key, int partition, long offset) {
    retire(key, TombstoneHeader.ANY, partition, offset);
  }

  /**
   * As {@link #retire(MappingKey, int, long)}, for a tombstone that removes only records up to
   * {@code upToLocationGen} (DESIGN "Bounded growth": a newer record of the key, read before it
   * from another partition, stays).
   */
  public void retire(MappingKey key, long upToLocationGen, int partition, long offset) {
    if (holds.anyHeld()) {
      readWhileHeld(key, partition, offset, "tombstone");
    }
    holds.readTombstone(key, upToLocationGen, partition, offset);
    V2PMapping removed = desired.remove(key, upToLocationGen);
    if (removed == null || !removed.isSet() || !snapshotComplete || desired.isExcluded(key.vni())) {
      return;
    }
    if (holds.clearsWithheld() || watermarks.readAgain(partition, offset)) { // read again: the
      metrics.recordWithheld(1); // record it forgot, read after it, may follow held this time
      watermarks.deltaFailed(partition, offset);
      return;
    }
    apply(Action.clear(key.vip(), null), partition, offset);
  }

  /**
   * A record or tombstone of {@code key} read while records are held ends the hold of the one held
   * at its place (the log was cut: this is what it has there now) and of those it replaces ({@link
   * Holds#supersededBy}, DESIGN "Sled applier": compaction removes them).
   */
  private void readWhileHeld(MappingKey key, int partition, long offset, String what) {
    List<Holds.Held> ended = new ArrayList<>(holds.supersededBy(key, partition, offset, what));
    Holds.Held there = holds.get(partition, offset);
    if (there != null) {
      ended.add(there);
    }
    endedByReading(ended);
  }

  /** Ends the holds of {@code records}, which what was read ended ({@link #takeHoldEnded}). */
  private void endedByReading(List<Holds.Held> records) {
    records.forEach(held -> resolve(held.partition(), held.offset()));
    if (!records.isEmpty()) {
      holdsEnded();
      holdEnded = true;
    }
  }

  /**
   * Every record of {@code partition} below {@code next} has been offered (or held); whether that
   * ended the catch-up of a partition found while running, {@link #takeCatchUpEnded} says. A
   * position that went back (the log cut under the reader) takes the watermark back with it; a
   * record held at or past it is never applied (the log may not have it any more), but it holds on
   * until what the log has at its offset now is read (held again if it does not decode) or the
   * reader is past it again: until then a clear might be for the key it keeps set.
   */
  public void advance(int partition, long next) {
    if (watermarks.advance(partition, next)) {
      LOG.warn(
          "{}-{}: the read position went back to {}: the log was cut under it (an unclean leader"
              + " election truncated it, or the topic was made again); the partition's ack"
              + " watermark goes back with it, records held past it hold until read again",
          Topics.MAPPINGS,
          partition,
          next);
      holds.cut(partition, next).forEach(this::hold); // replaced past the cut: held again
    }
    endedByReading(holds.cutBefore(partition, next)); // read past them: no record there now
    catchUpEnded |= holds.reached(partition, next);
  }

  /**
   * Whether a catch-up ended since the last call: kept until asked, so that an error between the
   * advance and the question loses nothing.
   */
  boolean takeCatchUpEnded() {
    boolean ended = catchUpEnded;
    catchUpEnded = false;
    return ended;
  }

  /**
   * Whether reading ended a hold since the last call (the log read again where it was cut, or a
   * record replacing a held one): kept until asked, as {@link #takeCatchUpEnded}.
   */
  boolean takeHoldEnded() {
    boolean ended = holdEnded;
    holdEnded = false;
    return ended;
  }

  /**
   * A call on the device failed device-wide, the engine's or another's on the same device (a port
   * poll, a UFT clear): XDE may come back empty, reopened by the next call, so no watermark moves
   * until a pass has looked at it (the applier asks for one when the device answers again: {@link
   * dev.v2pledger.applier.flows.TrackedXde#onDevice}; passes meanwhile would only fail).
   */
  public void deviceWideFailure() {
    watermarks.deviceFailed();
  }

  /** A record that cannot be decoded: clears are withheld until it is resolved. */
  void hold(Holds.Held record) {
    holds.hold(record); // first: its key stays followed, what was read of it is still of use
    if (record.key() != null) { // it replaces its key's records held before it
      endedByReading(
          holds.supersededBy(record.key(), record.partition(), record.offset(), "held record"));
    }
    watermarks.undecodable(record.partition(), record.offset());
    metrics.held.set(holds.count());
  }

  /** How many keys the memory of what was read during a hold has (bounded by the held records'). */
  int keysReadDuringHold() {
    return holds.keysRead();
  }

  /**
   * A held record at {@code offset} of {@code partition} that decodes now, offered as if it had
   * been read in its place (DESIGN "Sled applier"): it loses to what came after it for its key
   * ({@link HoldMemory#cameAfter}); against anything else the table's rule decides as for any
   * record.
   */
  private Verdict offerHeld(V2PMapping record, int partition, long offset, long causeEpochMillis) {
    String later = holds.cameAfter(record, partition, offset);
    if (later != null) {
      metrics.recordVerdict(Verdict.OLDER);
      LOG.info(
          "{}-{}@{}: {} decodes now, but {} came after it; it stays",
          Topics.MAPPINGS,
          partition,
          offset,
          record,
          later);
      return Verdict.OLDER;
    }
    return offer(record, partition, offset, causeEpochMillis);
  }

  /**
   * The held record at {@code partition}/{@code offset} decodes now as {@code record}: it is
   * offered where it stood ({@link #offerHeld}); or, when its Kafka key is another key than its
   * mapping's, it stays held with that reason, for an operator to skip (what was read of its
   * mapping's key during the hold was not followed): null then, and null when it is not held. One
   * whose Kafka key is not a key as the projector writes it (no {@link Holds.Held#key}) was held
   * for that from its first read, and stays.
   */
  @Nullable Verdict decodedLate(int partition, long offset, V2PMapping record, long cause) {
    Holds.Held held = holds.get(partition, offset);
    if (held == null || held.key() == null || holds.isCut(partition, offset)) {
      return null;
    }
    if (holds.heldForAnotherKey(held, record.key())) {
      return null;
    }
    resolve(partition, offset);
    return offerHeld(record, partition, offset, cause);
  }

  /** The held record is still held, now for {@code why} (what readyz names). */
  void stillHeld(Holds.Held held, String why) {
    if (holds.get(held.partition(), held.offset()) != null) {
      holds.update(held.withError(why));
    }
  }

  /** Once a hold ends: forgets what was read of keys no held record has ({@link Holds#ended}). */
  void holdsEnded() {
    holds.ended();
  }

  /**
   * The VIPs whose device entries are kept as they are: a held record of theirs may be newer than
   * desired's record ({@link HoldMemory#mayOutrank}), which a set would otherwise put back over it.
   */
  private Set<Vip> kept() {
    if (!holds.anyHeld() && !watermarks.keepsAnyReadingAgain()) {
      return Set.of(); // the common case (every set delta asks): nothing kept, nothing built
    }
    Set<Vip> kept = watermarks.keptReadingAgain();
    kept.addAll(holds.outranking(desired::newest));
    return kept;
  }

  /** Ends the hold of the record at {@code partition}/{@code offset}; returns it, or null. */
  Holds.@Nullable Held resolve(int partition, long offset) {
    Holds.Held held = holds.remove(partition, offset);
    if (held != null) { // its key stays followed until holdsEnded: offerHeld consults it
      watermarks.resolved(partition, offset);
      metrics.held.set(holds.count());
    }
    return held;
  }

  /** Whether {@code held} is a record the reader went back before: never applied. */
  boolean isCut(Holds.Held held) {
    return holds.isCut(held.partition(), held.offset());
  }

  /** Records held undecodable, by partition and offset. */
  List<Holds.Held> held() {
    return holds.held();
  }

  /** Partitions found while running: read each up to its end offset before clearing again. */
  void catchUp(Map<Integer, Long> ends) {
    ends.forEach(holds::catchUp);
  }

  /** Whether clears are withheld now, and why (null when they are not). */
  @Nullable String withheld() {
    return holds.reason(Topics.MAPPINGS);
  }

  /** The snapshot has been read: from now on records become calls and passes may run. */
  public void completeSnapshot() {
    snapshotComplete = true;
    metrics.snapshotComplete.set(1);
  }

  public boolean snapshotComplete() {
    return snapshotComplete;
  }

  /** A full pass; refused (returns null) before the snapshot is complete. */
  public @Nullable PassResult reconcile() {
    if (!snapshotComplete) {
      return null;
    }
    PassResult result = reconciler.reconcile(desired, !holds.clearsWithheld(), kept()::contains);
    metrics.recordPass(result);
    metrics.recordWithheld(result.withheld());
    if (result.ok()) {
      watermarks.passSucceeded();
    } else if (result.failed() > 0 || result.dumpError() != null) {
      watermarks.passFailed();
    } else { // withheld clears alone hold their own partitions' watermarks
      watermarks.passMatchedButWithheld();
    }
    lastPass = result;
    return result;
  }

  public @Nullable PassResult lastPass() {
    return lastPass;
  }

  public long passes() {
    return reconciler.passes();
  }

  public Desired desired() {
    return desired;
  }

  /** Watermarks to publish now, by partition (empty before the first successful pass). */
  public Map<Integer, Long> unpublishedAcks() {
    return watermarks.unpublished();
  }

  public void markPublished(int partition, long watermark) {
    watermarks.published(partition, watermark);
  }

  /** The watermarks, for the acks' bookkeeping ({@link WatermarkAcks}). */
  Watermarks watermarks() {
    return watermarks;
  }

  public Map<Integer, Long> publishedAcks() {
    return watermarks.publishedMarks();
  }
}
