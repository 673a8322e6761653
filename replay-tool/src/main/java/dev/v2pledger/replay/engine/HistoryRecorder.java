package dev.v2pledger.replay.engine;

import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.Nic;
import dev.v2pledger.replay.source.ReplayEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.ArrayList;
import java.util.List;
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

  /** The entries in display order: log time, partition, offset (file order for files). */
  public List<HistoryEntry> entries() {
    List<HistoryEntry> sorted = new ArrayList<>(entries);
    sorted.sort(
        (a, b) ->
            dev.v2pledger.replay.source.Position.CHRONOLOGICAL.compare(a.position(), b.position()));
    return sorted;
  }

  /** What this history is of, for titles. */
  public String subject() {
    return instance != null ? "instance " + instance : "IP " + vip;
  }
}
