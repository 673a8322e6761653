package dev.v2pledger.devstack.report;

import dev.v2pledger.devstack.stack.Footprint;
import dev.v2pledger.devstack.stack.Stages;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.runtime.stats.Latencies;
import dev.v2pledger.runtime.stats.Percentiles;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one run found.
 *
 * @param mode {@code v2p-ledger} or {@code rpw}
 * @param cluster where Kafka ran ("embedded 127.0.0.1:port" or the bootstrap servers); none for rpw
 * @param wall the workload's wall time (first step to last)
 * @param latencies publish -> applied on every sled, from {@code v2p.acks} (v2p-ledger only)
 * @param hop one plain Kafka hop measured in the same run, in microseconds (when probed)
 * @param transactionalHop one transactional hop (a record written and committed in its own
 *     transaction, read {@code read_committed}) measured in the same run, in microseconds
 * @param driftRepairs entries the appliers' passes repaired (v2p-ledger) or the re-push task
 *     rewrote (rpw: its calls)
 * @param violations sled entries that differ from the oracle (rpw: from the truth) at the end
 * @param truthMismatches where the oracle disagrees with the workload's ground truth
 * @param flows stale-flow exposure of the guests' conversations over the same window as {@code
 *     exposure}, with the flow tables as they were and as they would have been uncleared
 * @param convergedAfter time from the workload's end until every sled was right (or the deadline)
 * @param expectedEntries entries every sled must hold at the end (VNI 100 aside)
 * @param stages where a record's time goes, stage by stage, over the measured window (v2p-ledger
 *     with local runners only)
 * @param brokerRequests requests the embedded broker answered during the measured window, by type,
 *     the most frequent first (empty with an external cluster)
 * @param brokerErrors errors the embedded broker answered during the measured window, by request
 *     and error (empty with an external cluster or none)
 * @param cpu cores each component of this JVM kept busy during the measured window, on average
 *     (CpuShares; empty when not measured)
 * @param footprint the compacted topics and what the runners hold at the end (v2p-ledger only)
 * @param notes anything else worth a line (restarts, kills, version audit, baseline laps)
 */
public record RunReport(
    String mode,
    long seed,
    int sleds,
    int projectors,
    String cluster,
    Script.Counts workload,
    Duration wall,
    @Nullable Latencies latencies,
    @Nullable Percentiles hop,
    @Nullable Percentiles transactionalHop,
    double driftRepairs,
    List<Violation> violations,
    List<String> truthMismatches,
    Exposure.Result exposure,
    StaleFlows flows,
    boolean converged,
    Duration convergedAfter,
    int expectedEntries,
    List<Stages.Stage> stages,
    Map<String, Long> brokerRequests,
    Map<String, Long> brokerErrors,
    Map<String, Double> cpu,
    @Nullable Footprint footprint,
    List<String> notes) {

  public RunReport {
    violations = List.copyOf(violations);
    truthMismatches = List.copyOf(truthMismatches);
    notes = List.copyOf(notes);
    stages = List.copyOf(stages);
    brokerRequests = Collections.unmodifiableMap(new LinkedHashMap<>(brokerRequests));
    brokerErrors = Map.copyOf(brokerErrors);
    cpu = Collections.unmodifiableMap(new LinkedHashMap<>(cpu));
  }

  public long events() {
    return workload.events();
  }

  public double eventsPerSecond() {
    double seconds = wall.toNanos() / 1e9;
    return seconds <= 0 ? 0 : workload.events() / seconds;
  }

  /**
   * Events per second from the first event published to every sled converged: what the whole system
   * sustained (at saturation, its capacity).
   */
  public double endToEndPerSecond() {
    double seconds = endToEndSeconds();
    return seconds <= 0 ? 0 : workload.events() / seconds;
  }

  /** Seconds from the first event published to every sled converged: the measured window. */
  public double endToEndSeconds() {
    return (wall.toNanos() + convergedAfter.toNanos()) / 1e9;
  }

  /** Whether the run is right: no violation, the oracle agrees with the truth, converged. */
  public boolean passed() {
    return violations.isEmpty() && truthMismatches.isEmpty() && converged;
  }
}
