package dev.v2pledger.projector.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The Prometheus names the README lists are the ones the runner serves. */
class ProjectorMetricsTest {

  @Test
  void everyDocumentedMeterIsServedUnderItsName() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProjectorMetrics metrics = new ProjectorMetrics(registry, "p-1");
    metrics.folded();
    metrics.ignored("duplicate");
    metrics.deadLettered("CORRUPT");
    metrics.written("v2p.mappings", 2);
    metrics.committed(3_000_000, 12);
    metrics.aborted();
    metrics.restored(40_000_000, 7);
    metrics.lag(3, 42);
    metrics.rebalance("assigned");
    metrics.fenced();
    metrics.retried();
    metrics.holding(5, 2, 1);
    metrics.hangingAborted(1);
    metrics.hangingFound(2);

    assertThat(registry.scrape())
        .contains("v2p_projector_events_folded_total{runner=\"p-1\"} 1.0")
        .contains("v2p_projector_events_ignored_total{reason=\"duplicate\",runner=\"p-1\"} 1.0")
        .contains("v2p_projector_dlq_total{reason=\"CORRUPT\",runner=\"p-1\"} 1.0")
        .contains("v2p_projector_records_written_total{runner=\"p-1\",topic=\"v2p.mappings\"} 2.0")
        .contains("v2p_projector_transaction_commit_seconds_bucket{")
        .contains("v2p_projector_transaction_events_count{runner=\"p-1\"} 1")
        .contains("v2p_projector_transactions_aborted_total{runner=\"p-1\"} 1.0")
        .contains("v2p_projector_restore_seconds_count{runner=\"p-1\"} 1")
        .contains("v2p_projector_restore_records_total{runner=\"p-1\"} 7.0")
        .contains("v2p_projector_lag{partition=\"3\",runner=\"p-1\"} 42.0")
        .contains("v2p_projector_rebalances_total{kind=\"assigned\",runner=\"p-1\"} 1.0")
        .contains("v2p_projector_fencings_total{runner=\"p-1\"} 1.0")
        .contains("v2p_projector_retries_total{runner=\"p-1\"} 1.0")
        .contains("v2p_projector_instances{runner=\"p-1\"} 5.0")
        .contains("v2p_projector_partitions{runner=\"p-1\",state=\"restoring\"} 1.0")
        .contains("v2p_projector_hanging_transactions_aborted_total{runner=\"p-1\"} 1.0")
        .contains("v2p_projector_hanging_transactions_found_total{runner=\"p-1\"} 2.0");

    metrics.unassigned(3);
    assertThat(registry.scrape()).doesNotContain("v2p_projector_lag{");
  }
}
