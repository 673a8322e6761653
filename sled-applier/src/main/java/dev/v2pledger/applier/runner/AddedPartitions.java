package dev.v2pledger.applier.runner;

import dev.v2pledger.schema.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
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

  private final LoopContext context;
  private long nextPartitionLook;

  AddedPartitions(LoopContext context) {
    this.context = context;
  }

  /** Assigns the partitions added since the last look, when a look is due. */
  void maybeAssign(MappingsReader mappings) {
    if (System.nanoTime() - nextPartitionLook < 0) {
      return;
    }
    nextPartitionLook = System.nanoTime() + LOOK_FOR_PARTITIONS.toNanos();
    List<TopicPartition> added = mappings.assignAdded();
    if (added.isEmpty()) {
      return;
    }
    Map<Integer, Long> ends = new TreeMap<>();
    mappings.endOffsets(added).forEach((tp, end) -> ends.put(tp.partition(), end));
    context.engine().catchUp(ends);
    LOG.info(
        "sled {}: {} has new partition(s) {}; reading them (clears withheld until they are read)",
        context.sledId(),
        Topics.MAPPINGS,
        ends.keySet());
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
