/**
 * What a run found: the ground truth's timeline and the exposure measured against it from the
 * simulated devices' mutation logs, the verdict (every sled entry that differs from the oracle),
 * the convergence latencies from {@code v2p.acks}, and the report as text and as one JSON line.
 */
package dev.v2pledger.devstack.report;
