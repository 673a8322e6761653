package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.metrics.ProjectorMetrics;

/**
 * What a runner builds once and each of its sessions, and their transactions, work with: its
 * configuration, its meters, its event processor and the registration of the schemas it writes. A
 * session's Kafka clients are its own.
 */
record RunnerParts(
    ProjectorConfig config,
    ProjectorMetrics metrics,
    EventProcessor processor,
    OwnSchemas ownSchemas) {}
