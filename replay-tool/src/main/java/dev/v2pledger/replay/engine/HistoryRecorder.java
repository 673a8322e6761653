package dev.v2pledger.replay.engine;

import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.Nic;
import dev.v2pledger.replay.source.ReplayEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Collects the history of one instance (every event of it) or of one (VNI, IP): every event that
 * emitted a record for it, or that an instance owning it at the time received.
 */
public final class HistoryRecorder implements Replayer.Observer {
  private final @Nullable InstanceId instance;
  private final @Nullable Vip vip;
  private final List<HistoryEntry> entries = new ArrayList<>();

  private HistoryRecorder(@Nullable InstanceId instance, @Nullable Vip vip) {
    this.instance = instance;
    this.vip = vip;
  }

  public static HistoryRecorder ofInstance(InstanceId instance) {
    return new HistoryRecorder(instance, null);
  }

  public static HistoryRecorder ofVip(Vip vip) {
    return new HistoryRecorder(null, vip);
  }

  @Override
  public void folded(ReplayEvent event, InstanceState before, FoldResult result) {
    if (instance != null) {
      if (event.event().instanceId().equals(instance)) {
        entries.add(entry(event, result, result.records()));
      }
      return;
    }
    List<V2PMapping> mine = new ArrayList<>();
    for (V2PMapping record : result.records()) {
      if (record.vip().equals(vip)) {
        mine.add(record);
      }
    }
    if (!mine.isEmpty() || owns(before) || owns(result.state())) {
      entries.add(entry(event, result, mine));
    }
  }

  private boolean owns(InstanceState state) {
    for (Nic nic : state.nics()) {
      if (nic.vni().equals(vip.vni()) && nic.ips().contains(vip.ip())) {
        return true;
      }
    }
    return false;
  }

  private static HistoryEntry entry(
      ReplayEvent event, FoldResult result, List<V2PMapping> records) {
    return new HistoryEntry(
        event.position(),
        event.event(),
        result.ignored(),
        result.effects(),
        records,
        result.state().location().vmm());
  }

  /**
   * The entries in display order, which keeps the order they were folded in wherever that order is
   * the log's. From a file: file order (an export's is log order, and a line without a position has
   * no log time to place it by). From Kafka: each partition in offset order, the partitions merged
   * by log time (then partition number): a log time earlier than the one before it in its partition
   * (clocks, a topic with CreateTime) never moves an event ahead of one folded before it.
   */
  public List<HistoryEntry> entries() {
    List<HistoryEntry> sorted = new ArrayList<>(entries);
    if (sorted.stream().anyMatch(e -> e.position().kafka() == null || e.position().line() > 0)) {
      sorted.sort(Comparator.comparingLong(e -> e.position().line()));
      return sorted;
    }
    sorted.sort(Comparator.comparingLong(e -> e.position().kafka().offset()));
    Map<Integer, ArrayDeque<HistoryEntry>> byPartition = new TreeMap<>();
    for (HistoryEntry entry : sorted) {
      byPartition
          .computeIfAbsent(entry.position().kafka().partition(), p -> new ArrayDeque<>())
          .add(entry);
    }
    List<HistoryEntry> merged = new ArrayList<>(sorted.size());
    while (merged.size() < sorted.size()) {
      ArrayDeque<HistoryEntry> next = null;
      for (ArrayDeque<HistoryEntry> partition : byPartition.values()) { // ties: the lower one
        if (!partition.isEmpty()
            && (next == null || headTime(partition).isBefore(headTime(next)))) {
          next = partition;
        }
      }
      merged.add(Objects.requireNonNull(next).poll());
    }
    return merged;
  }

  private static Instant headTime(ArrayDeque<HistoryEntry> partition) {
    return partition.getFirst().position().kafka().timestamp();
  }

  /** What this history is of, for titles. */
  public String subject() {
    return instance != null ? "instance " + instance : "IP " + vip;
  }
}
