package dev.v2pledger.applier.runner;

import dev.v2pledger.schema.Topics;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier's start: waits for {@code v2p.mappings} to exist, assigns its partitions and takes
 * the {@link Snapshot}, logs progress while catching up on it, and completes the engine's snapshot
 * once it is read, which asks for the first pass. Runs on the applier thread; {@link #waitingFor},
 * {@link #total} and {@link #progress} are read by other threads too.
 */
final class SnapshotReading {
  private static final Logger LOG = LoggerFactory.getLogger(ApplierLoop.class); // the loop's lines

  /** How long the end check waits for the broker; a broker away skips it until the next one. */
  private static final Duration END_CHECK_TIMEOUT = Duration.ofSeconds(2);

  private final LoopContext context;
  private volatile @Nullable String waitingFor = "connecting to Kafka";
  private volatile @Nullable Snapshot snapshot;
  private long nextProgress;
  private long nextTopicLog = System.nanoTime();

  SnapshotReading(LoopContext context) {
    this.context = context;
  }

  /** Whether the snapshot was taken (it may not be read yet). */
  boolean started() {
    return snapshot != null;
  }

  /** Assigns the topic's partitions and takes the snapshot; false while the topic is missing. */
  boolean start(MappingsReader mappings) throws InterruptedException {
    if (!mappings.assignAll()) {
      waitingFor = "waiting for topic " + Topics.MAPPINGS;
      if (System.nanoTime() - nextTopicLog >= 0) {
        LOG.info("sled {}: waiting for topic {} to exist", context.sledId(), Topics.MAPPINGS);
        nextTopicLog = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      }
      Thread.sleep(500);
      return false;
    }
    Snapshot taken = Snapshot.take(mappings);
    snapshot = taken;
    waitingFor = null;
    LOG.info(
        "sled {}: reading the snapshot of {}: {} offsets (records and transaction markers) in {} partitions",
        context.sledId(),
        Topics.MAPPINGS,
        taken.total(),
        mappings.partitions().size());
    context.metrics().snapshotTotal.set(taken.total());
    nextProgress = System.nanoTime() + context.config().progressInterval().toNanos();
    return true;
  }

  /** After a batch before the snapshot's end: completes the snapshot, or logs progress when due. */
  void catchUp(MappingsReader mappings) {
    Snapshot target = Objects.requireNonNull(snapshot);
    long read = target.read(mappings);
    context.metrics().snapshotRead.set(read);
    if (target.reached(mappings)) {
      context.engine().completeSnapshot();
      LOG.info(
          "sled {}: snapshot complete: {} offsets read in {} ms; desired table has {} VIPs",
          context.sledId(),
          read,
          target.elapsed().toMillis(),
          context.engine().desired().size());
      context.passes().request();
    } else if (System.nanoTime() - nextProgress >= 0) {
      LOG.info("sled {}: catching up: {}", context.sledId(), target.progress(read));
      nextProgress = System.nanoTime() + context.config().progressInterval().toNanos();
      endWhereTheLogEnds(target, mappings);
    }
  }

  /**
   * Ends the snapshot where the log ends now, where that is lower than its end ({@link
   * Snapshot#endingBy}): checked at each progress line, so a log cut under the end while it is read
   * (and nothing written after) does not keep the applier from ever completing it. Skipped this
   * time when the broker does not answer within {@link #END_CHECK_TIMEOUT}.
   */
  private void endWhereTheLogEnds(Snapshot target, MappingsReader mappings) {
    Snapshot ending;
    try {
      ending = target.endingBy(mappings.endOffsets(END_CHECK_TIMEOUT));
    } catch (TimeoutException e) {
      LOG.debug(
          "sled {}: no end offsets within {}; checked again later",
          context.sledId(),
          END_CHECK_TIMEOUT);
      return;
    }
    if (ending != target) {
      LOG.warn(
          "sled {}: {} ends below the snapshot's end now (the log was cut under it: an unclean"
              + " leader election, or the topic was made again); the snapshot ends where it ends",
          context.sledId(),
          Topics.MAPPINGS);
      snapshot = ending;
      context.metrics().snapshotTotal.set(ending.total());
    }
  }

  /** What the applier waits for before it can take the snapshot (Kafka, the topic), or null. */
  @Nullable String waitingFor() {
    return waitingFor;
  }

  /** Records in the snapshot (0 before it is taken). */
  long total() {
    Snapshot target = snapshot;
    return target == null ? 0 : target.total();
  }

  /** "420000 of 1000000 offsets (42%), 210000 offsets/s", or "starting" before the snapshot. */
  String progress(long read) {
    Snapshot target = snapshot;
    return target == null ? "starting" : target.progress(read);
  }
}
