package dev.v2pledger.applier.runner;

import dev.v2pledger.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partitions added to {@code v2p.mappings} while the applier runs: looked for every {@code 10 s},
 * read from their beginning, and clears withheld until each is read to the end offset found (a
 * clear might be for a key such a partition keeps set); then a pass issues the withheld clears.
 * Runs on the applier thread.
 */
final class AddedPartitions {
  private static final Logger LOG = LoggerFactory.getLogger(ApplierLoop.class); // the loop's lines
  private static final Duration LOOK_FOR_PARTITIONS = Duration.ofSeconds(10);

  /**
   * How long a look waits for the end offsets of new partitions: the applier thread's, whose device
   * work waits meanwhile (the consumer's own bound, {@code default.api.timeout.ms}, is a minute).
   */
  static final Duration END_TIMEOUT = Duration.ofSeconds(2);

  /**
   * The longest wait between looks while new partitions' end offsets do not come: each look that
   * waited {@link #END_TIMEOUT} in vain doubles the wait before the next, from {@link
   * #LOOK_FOR_PARTITIONS}, so a partition left without a leader costs the device's work ever less.
   */
  static final Duration MAX_LOOK_BACKOFF = Duration.ofMinutes(5);

  private final LoopContext context;
  private long nextPartitionLook = System.nanoTime(); // due at once; nanoTime may be negative
  private Duration untilNextLook = LOOK_FOR_PARTITIONS;

  AddedPartitions(LoopContext context) {
    this.context = context;
  }

  /** Assigns the partitions added since the last look, when a look is due. */
  void maybeAssign(MappingsReader mappings) {
    if (System.nanoTime() - nextPartitionLook < 0) {
      return;
    }
    nextPartitionLook = System.nanoTime() + LOOK_FOR_PARTITIONS.toNanos();
    look(mappings.added(), some -> mappings.endOffsets(some, END_TIMEOUT), mappings::assign);
  }

  /**
   * Reads {@code added} ({@link #read}), or, when the broker does not give their end offsets within
   * {@link #END_TIMEOUT} (a new partition without a leader, say), leaves them to the next look,
   * twice as far off as the last ({@link #MAX_LOOK_BACKOFF} at most): the device's work in this
   * step goes on. Returns whether they were assigned.
   */
  boolean look(
      List<TopicPartition> added,
      Function<List<TopicPartition>, Map<TopicPartition, Long>> endOffsets,
      Consumer<List<TopicPartition>> assign) {
    if (added.isEmpty()) {
      return false;
    }
    Map<Integer, Long> ends;
    try {
      ends = read(added, endOffsets, assign);
    } catch (TimeoutException e) {
      untilNextLook = untilNextLook.multipliedBy(2);
      if (untilNextLook.compareTo(MAX_LOOK_BACKOFF) > 0) {
        untilNextLook = MAX_LOOK_BACKOFF;
      }
      nextPartitionLook = System.nanoTime() + untilNextLook.toNanos();
      LOG.warn(
          "sled {}: {} has new partition(s) {}, whose end offsets the broker did not give within {}"
              + " ms; not read yet, looking again in {} s",
          context.sledId(),
          Topics.MAPPINGS,
          added.stream().map(TopicPartition::partition).toList(),
          END_TIMEOUT.toMillis(),
          untilNextLook.toSeconds());
      return false;
    }
    untilNextLook = LOOK_FOR_PARTITIONS;
    LOG.info(
        "sled {}: {} has new partition(s) {}; reading them (clears withheld until they are read)",
        context.sledId(),
        Topics.MAPPINGS,
        ends.keySet());
    return true;
  }

  /** How long after the last look the next one is due. */
  Duration untilNextLook() {
    return untilNextLook;
  }

  /**
   * Withholds clears until {@code added} are read to their end offsets, then assigns them; returns
   * the ends. The ends come first: when they cannot be taken (a timeout, say) nothing is assigned
   * and the next look tries again, so a partition is never read while clears are allowed before it
   * is read (they would be issued for keys it may keep set).
   */
  Map<Integer, Long> read(
      List<TopicPartition> added,
      Function<List<TopicPartition>, Map<TopicPartition, Long>> endOffsets,
      Consumer<List<TopicPartition>> assign) {
    Map<Integer, Long> ends = new TreeMap<>();
    endOffsets.apply(added).forEach((tp, end) -> ends.put(tp.partition(), end));
    context.engine().catchUp(ends);
    assign.accept(added);
    return ends;
  }

  /**
   * The watermarks advanced; {@code endedCatchUp} when that ended the reading of an added
   * partition. Asks for a pass when nothing withholds clears any more.
   */
  void advanced(boolean endedCatchUp) {
    if (endedCatchUp && context.engine().withheld() == null) {
      LOG.info("sled {}: partitions added while running are read; clears resume", context.sledId());
      context.passes().request();
    }
  }
}
